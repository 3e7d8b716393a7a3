// `skewcheck check`: every feature set (replay) and drift check of the project config, or the
// ones named, concurrently up to the number of cores, reported in name order. A check that
// cannot run is an error of its own, never hidden behind the others passing.

import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import { type LoadedConfig, parseYaml } from '../config/index.js';
import { driftOptions, replayOptions } from '../config/resolve.js';
import type { DiffResult } from '../diff/index.js';
import type { DriftResult } from '../drift/index.js';
import { formatError } from '../error-text.js';
import { InputError, isSkewcheckError, UsageError } from '../errors.js';
import { int, percent } from '../report/format.js';
import { applyBaseline, type BaselineFile, entryFor, readBaseline, writeBaseline } from './baseline.js';
import {
  type GitChanges,
  gitChanges,
  inputChanged,
  localModuleGraph,
  UntraceableImportError,
} from './changes.js';
import { replayDiagnosed, runDriftSettings } from './replay-diagnosed.js';
import type { CheckEntry, CheckKind, CheckRunResult } from './types.js';

export interface CheckOptions {
  /** The loaded project config. */
  config: LoadedConfig;
  /** Run only these checks (default: all). */
  names?: string[];
  /** Run only checks whose inputs changed since this git ref. */
  changedSince?: string;
  updateBaseline?: boolean;
  /** Reason recorded with --update-baseline. */
  reason?: string;
  /** Expiry (YYYY-MM-DD) recorded with --update-baseline. */
  expires?: string;
  /** Today as YYYY-MM-DD (UTC), for baseline expiry; default the real date. */
  today?: string;
  concurrency?: number;
  /** Cancels the run: no further check starts, and a running replay stops at its next batch. */
  signal?: AbortSignal;
  /** Called as each check finishes, with its wall time (kept out of the deterministic result). */
  onCheckDone?: (entry: CheckEntry, milliseconds: number) => void;
}

interface PlannedCheck {
  name: string;
  kind: CheckKind;
  run: (signal?: AbortSignal) => Promise<DiffResult | DriftResult>;
  inputs: () => string[];
  path: (string | number)[];
}

function plan(loaded: LoadedConfig): PlannedCheck[] {
  const { config, dir } = loaded;
  // Paths relative to the working directory keep results and messages the same wherever the
  // repository is checked out.
  const at = (p: string) => relative(process.cwd(), resolve(dir, p)) || '.';
  const checks: PlannedCheck[] = [];
  /** A missing input is reported at its place in the config, before anything runs. */
  const requireFiles = (path: (string | number)[], files: Record<string, string>) => {
    for (const [key, file] of Object.entries(files)) {
      if (/[*?[]/.test(file) || existsSync(resolve(dir, file))) continue;
      const line = loaded.lineOf([...path, key]);
      const place = `${relative(process.cwd(), loaded.path)}${line ? `:${line}` : ''}`;
      throw new InputError(`${place}: ${[...path, key].join('.')}: file not found: ${at(file)}`, {
        file: loaded.path,
        line,
      });
    }
  };
  for (const [name, set] of Object.entries(config.featureSets ?? {})) {
    const path = ['featureSets', name];
    checks.push({
      name,
      kind: 'replay',
      path,
      inputs: () => [at(set.events), at(set.batch), ...localModuleGraph(at(set.stream))],
      run: (signal) => {
        requireFiles(path, { events: set.events, batch: set.batch, stream: set.stream });
        const paths = { events: at(set.events), batch: at(set.batch), stream: at(set.stream) };
        const mismatches = set.mismatches === undefined ? undefined : at(set.mismatches);
        return replayDiagnosed({
          ...replayOptions({ ...set, ...paths, mismatches }, (key) => `${path.join('.')}.${key}`),
          onProgress: signal && (() => signal.throwIfAborted()),
        });
      },
    });
  }
  for (const [name, drift] of Object.entries(config.driftChecks ?? {})) {
    const path = ['driftChecks', name];
    checks.push({
      name,
      kind: 'drift',
      path,
      inputs: () => [at(drift.train), at(drift.prod)],
      run: () => {
        requireFiles(path, { train: drift.train, prod: drift.prod });
        const paths = { train: at(drift.train), prod: at(drift.prod) };
        return runDriftSettings(driftOptions({ ...drift, ...paths }, (key) => `${path.join('.')}.${key}`));
      },
    });
  }
  return checks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Why a check must run since the ref, or undefined when none of its inputs changed. */
function changeReason(check: PlannedCheck, loaded: LoadedConfig, changes: GitChanges): string | undefined {
  if (changes.files.has(loaded.path)) {
    if (!/\.ya?ml$/.test(loaded.path)) return 'the config changed';
    const before = changes.atRef(loaded.path);
    if (before === undefined) return 'the config is new';
    const entry = (text: string) => {
      try {
        let node: unknown = parseYaml(text, loaded.path).value;
        for (const p of check.path) node = (node as Record<string | number, unknown> | undefined)?.[p];
        return JSON.stringify(node ?? null);
      } catch {
        return undefined;
      }
    };
    if (entry(before) !== entry(readFileSync(loaded.path, 'utf8'))) return 'its config entry changed';
  }
  const changed = check.inputs().find((input) => inputChanged(input, changes));
  return changed ? `${changed} changed` : undefined;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function headline(result: DiffResult | DriftResult): string {
  if (result.command === 'drift') {
    const s = result.summary;
    const drifted = result.features.filter((f) => f.drift).map((f) => f.name);
    if (drifted.length === 0 && result.verdict === 'pass')
      return `no drift in ${int(s.tested)} features tested`;
    return `${int(s.drifted)} of ${int(s.tested)} features drifted${drifted.length ? `: ${drifted.join(', ')}` : ''}${
      result.verdict === 'fail' && drifted.length === 0 ? ` (${result.reasons[0] ?? 'see the report'})` : ''
    }`;
  }
  const s = result.summary;
  const bad = s.mismatched + s.only_left + s.only_right;
  if (bad === 0 && s.duplicates === 0) return `${int(s.matched)} (key, window) rows agree`;
  const features = result.features.filter((f) => f.mismatches > 0).map((f) => f.name);
  const cause = result.diagnoses?.[0];
  return `${int(bad)} of ${int(s.windows)} rows differ (${percent(s.mismatch_rate)})${features.length ? `: ${features.join(', ')}` : ''}${
    cause && cause.tier !== 'unexplained'
      ? ` — ${cause.tier === 'reproduced' ? 'likely' : 'may be'} ${cause.code.replaceAll('_', ' ')}`
      : ''
  }`;
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

/** The checks to run: the ones named (each must exist), else all of them. */
function selectChecks(all: PlannedCheck[], options: CheckOptions): PlannedCheck[] {
  const loaded = options.config;
  const unknown = (options.names ?? []).filter((n) => !all.some((c) => c.name === n));
  if (unknown.length > 0) {
    throw new UsageError(
      `no check named ${unknown.map((n) => `"${n}"`).join(', ')} in ${loaded.path} (checks: ${all.map((c) => c.name).join(', ') || 'none'})`,
    );
  }
  if (all.length === 0) {
    // Nothing checked is not a pass.
    throw new InputError(`${loaded.path} declares no featureSets or driftChecks: there is nothing to check`, {
      file: loaded.path,
    });
  }
  return options.names?.length ? all.filter((c) => options.names!.includes(c.name)) : all;
}

/** With --changed-since: the checks none of whose inputs changed, and why they are skipped. */
function unchangedChecks(
  selected: PlannedCheck[],
  options: CheckOptions,
  notes: string[],
): Map<string, string> {
  const skipped = new Map<string, string>();
  if (!options.changedSince) return skipped;
  const loaded = options.config;
  const changes = gitChanges(loaded.dir, options.changedSince);
  if (!changes) {
    notes.push(`not a git repository: --changed-since ignored, every check ran`);
    return skipped;
  }
  for (const check of selected) {
    let reason: string | undefined;
    try {
      reason = changeReason(check, loaded, changes);
    } catch (error) {
      // Inputs that cannot be traced completely: run the check, and say why.
      reason = error instanceof UntraceableImportError ? error.message : 'its inputs could not be read';
      notes.push(`${check.name} ran although --changed-since was given: ${reason}`);
    }
    if (!reason) skipped.set(check.name, `none of its inputs changed since ${options.changedSince}`);
  }
  return skipped;
}

interface BaselineState {
  file: BaselineFile;
  /** Checks whose entry --update-baseline rewrote. */
  touched: string[];
  today: string;
  notes: string[];
}

/** Record the result in the baseline (--update-baseline), then judge it against the baseline. */
function judgeAgainstBaseline(
  entry: CheckEntry,
  result: DiffResult | DriftResult,
  options: CheckOptions,
  baseline: BaselineState,
): void {
  const checks = baseline.file.checks;
  if (options.updateBaseline) {
    const existing = checks[entry.name];
    const updated = entryFor(
      result,
      options.reason ?? existing?.reason ?? 'accepted with skewcheck check --update-baseline',
      options.expires ?? existing?.expires,
    );
    if (updated) checks[entry.name] = updated;
    else delete checks[entry.name];
    baseline.touched.push(entry.name);
  }
  const accepted = checks[entry.name];
  if (result.verdict === 'fail' && accepted) {
    const outcome = applyBaseline(result, accepted, baseline.today);
    entry.baseline = outcome;
    if (outcome.new.length === 0 && outcome.expired.length === 0) {
      entry.status = 'baselined';
      entry.headline = `${entry.headline} (accepted in the baseline: ${accepted.reason})`;
    } else if (outcome.expired.length > 0) {
      entry.headline = `${entry.headline} (${outcome.expired[0]})`;
    } else {
      entry.headline = `${entry.headline} (new or worse than the baseline: ${outcome.new.join('; ')})`;
    }
  } else if (result.verdict === 'pass' && accepted && !options.updateBaseline) {
    baseline.notes.push(
      `${entry.name} passes: its baseline entry is no longer needed (run with --update-baseline to remove it)`,
    );
  }
}

/** One check's entry: its result judged against the baseline, or the error that stopped it. */
async function runCheck(
  check: PlannedCheck,
  options: CheckOptions,
  baseline: BaselineState,
): Promise<CheckEntry> {
  const { name, kind } = check;
  try {
    const result = await check.run(options.signal);
    const entry: CheckEntry = { name, kind, status: result.verdict, headline: headline(result), result };
    judgeAgainstBaseline(entry, result, options, baseline);
    return entry;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const message = formatError(error).replace(/^skewcheck: /, '');
    return {
      name,
      kind,
      status: 'error',
      headline: message.split('\n')[0]!,
      error: isSkewcheckError(error) ? message : `internal error (a bug in skewcheck): ${message}`,
    };
  }
}

function runResult(loaded: LoadedConfig, checks: CheckEntry[], notes: string[]): CheckRunResult {
  const count = (status: CheckEntry['status']) => checks.filter((c) => c.status === status).length;
  const summary = {
    checks: checks.length,
    passed: count('pass'),
    baselined: count('baselined'),
    failed: count('fail'),
    errors: count('error'),
    skipped: count('skipped'),
  };
  return {
    schema_version: 1,
    command: 'check',
    config: relative(process.cwd(), loaded.path),
    verdict: summary.errors > 0 ? 'error' : summary.failed > 0 ? 'fail' : 'pass',
    summary,
    checks,
    notes: notes.sort(),
  };
}

export async function runChecks(options: CheckOptions): Promise<CheckRunResult> {
  const loaded = options.config;
  const notes: string[] = [];
  const selected = selectChecks(plan(loaded), options);
  const skipped = unchangedChecks(selected, options, notes);
  const baselinePath = resolve(loaded.dir, loaded.config.baseline ?? 'skewcheck.baseline.json');
  const baseline: BaselineState = {
    file: readBaseline(baselinePath),
    touched: [],
    today: options.today ?? today(),
    notes,
  };
  const entries = new Map<string, CheckEntry>();
  const concurrency = options.concurrency ?? Math.max(1, Math.min(2, availableParallelism()));
  await pool(selected, concurrency, async (check) => {
    options.signal?.throwIfAborted();
    const started = performance.now();
    const reason = skipped.get(check.name);
    const entry: CheckEntry = reason
      ? { name: check.name, kind: check.kind, status: 'skipped', headline: reason, skipped_reason: reason }
      : await runCheck(check, options, baseline);
    entries.set(check.name, entry);
    options.onCheckDone?.(entry, performance.now() - started);
  });
  if (options.updateBaseline) {
    writeBaseline(baselinePath, baseline.file, baseline.touched);
    notes.push(`baseline written to ${relative(process.cwd(), baselinePath)}`);
  }
  return runResult(
    loaded,
    selected.map((c) => entries.get(c.name)!),
    notes,
  );
}
