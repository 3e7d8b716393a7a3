// Baselines: accepted, known differences per check, so that a CI gate fails only on new or
// worse skew (and on accepted differences whose expiry date has passed). The file is written
// with sorted keys and no timestamps, so it is deterministic and reviews well in a diff.
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { DiffResult } from '../diff/index.js';
import type { DriftResult } from '../drift/index.js';
import { InputError, messageOf } from '../errors.js';
import { writeAtomically } from '../io/index.js';
import type { BaselineOutcome } from './types.js';

/** Whether `text` is a real calendar day written YYYY-MM-DD (not 9999-99-99 or 2027-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const entrySchema = z.strictObject({
  reason: z.string().min(1),
  /** YYYY-MM-DD; on and after that day the entry fails the check instead of excusing it. */
  expires: z
    .string()
    .refine(isCalendarDate, 'must be a real date written YYYY-MM-DD, e.g. 2027-03-31')
    .optional(),
  /** replay/diff: the highest accepted mismatch rate per feature. */
  features: z.record(z.string(), z.strictObject({ max_mismatch_rate: z.number().min(0).max(1) })).optional(),
  /** replay/diff: the highest accepted share of (key, window) rows present on one side only. */
  max_missing_rate: z.number().min(0).max(1).optional(),
  /** drift: features accepted as drifted. */
  drifted_features: z.array(z.string()).optional(),
});

const fileSchema = z.strictObject({
  version: z.literal(1),
  checks: z.record(z.string(), entrySchema),
});

export type BaselineEntry = z.infer<typeof entrySchema>;
export type BaselineFile = z.infer<typeof fileSchema>;

export function readBaseline(path: string): BaselineFile {
  if (!existsSync(path)) return { version: 1, checks: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`the baseline ${path} is not valid JSON: ${(error as Error).message}`, {
      file: path,
    });
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(
      `invalid baseline ${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
      {
        file: path,
      },
    );
  }
  return parsed.data;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Write the entries of `baseline` named in `touched` into the baseline file (removing those it
 * no longer has), leaving every other entry as it is on disk now. The read-merge-write runs
 * under a lock file (created with O_EXCL), so two `check --update-baseline` at once both land.
 */
export function writeBaseline(path: string, baseline: BaselineFile, touched?: Iterable<string>): void {
  withLock(`${path}.lock`, () => {
    const merged: BaselineFile = touched ? readBaseline(path) : { version: 1, checks: {} };
    if (!touched) merged.checks = { ...baseline.checks };
    for (const name of touched ?? []) {
      const entry = baseline.checks[name];
      if (entry) merged.checks[name] = entry;
      else delete merged.checks[name];
    }
    writeAtomically(path, `${JSON.stringify(sortKeys(merged), null, 2)}\n`);
  });
}

const LOCK_WAIT_MS = 30_000;
/** A lock older than this is left over from a killed run. */
const STALE_LOCK_MS = 120_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock(lockPath: string, work: () => void): void {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(lockPath, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new InputError(`cannot lock ${lockPath}: ${messageOf(error)}`, { file: lockPath });
      }
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > STALE_LOCK_MS) rmSync(lockPath, { force: true });
      } catch {
        // removed by its owner meanwhile
      }
      if (Date.now() > deadline) {
        throw new InputError(
          `the baseline is locked by another skewcheck run (${lockPath}); if none is running, delete that file`,
          { file: lockPath },
        );
      }
      sleepSync(20 + Math.random() * 80);
    }
  }
  try {
    writeFileSync(fd, String(process.pid));
    work();
  } finally {
    closeSync(fd);
    rmSync(lockPath, { force: true });
  }
}

/** The baseline entry that accepts exactly what `result` found (undefined when it passed). */
export function entryFor(
  result: DiffResult | DriftResult,
  reason: string,
  expires?: string,
): BaselineEntry | undefined {
  if (result.verdict === 'pass') return undefined;
  if (result.command === 'drift') {
    const drifted = result.features
      .filter((f) => f.drift)
      .map((f) => f.name)
      .sort();
    return { reason, ...(expires ? { expires } : {}), drifted_features: drifted };
  }
  const features = Object.fromEntries(
    result.features
      .filter((f) => f.mismatches > 0)
      .map((f) => [f.name, { max_mismatch_rate: f.mismatch_rate }]),
  );
  const s = result.summary;
  const missing = s.windows > 0 ? (s.only_left + s.only_right) / s.windows : 0;
  return {
    reason,
    ...(expires ? { expires } : {}),
    features,
    ...(missing > 0 ? { max_missing_rate: missing } : {}),
  };
}

/**
 * Compare a failing result with its baseline entry: which failures are accepted, which are new
 * or worse, and whether the entry has expired. `today` is YYYY-MM-DD (UTC).
 */
export function applyBaseline(
  result: DiffResult | DriftResult,
  entry: BaselineEntry | undefined,
  today: string,
): BaselineOutcome {
  const outcome: BaselineOutcome = { accepted: [], new: [], expired: [] };
  if (entry?.expires && entry.expires <= today) {
    outcome.expired.push(`the baseline entry (${entry.reason}) expired on ${entry.expires}`);
  }
  const usable = outcome.expired.length === 0 ? entry : undefined;
  if (result.command === 'drift') {
    const accepted = new Set(usable?.drifted_features ?? []);
    for (const f of result.features.filter((x) => x.drift)) {
      (accepted.has(f.name) ? outcome.accepted : outcome.new).push(`${f.name} drifted`);
    }
    for (const f of result.features.filter(
      (x) => x.status === 'type_mismatch' || x.status === 'only_train' || x.status === 'only_prod',
    )) {
      outcome.new.push(`${f.name}: ${f.status.replaceAll('_', ' ')}`);
    }
    return outcome;
  }
  for (const f of result.features) {
    if (f.status !== 'compared') {
      outcome.new.push(`${f.name}: ${f.status.replaceAll('_', ' ')}`);
      continue;
    }
    if (f.mismatches === 0) continue;
    const ceiling = usable?.features?.[f.name]?.max_mismatch_rate;
    const rate = `${f.name} differs in ${(f.mismatch_rate * 100).toFixed(2)}% of rows`;
    if (ceiling === undefined) outcome.new.push(rate);
    else if (f.mismatch_rate <= ceiling + 1e-12) outcome.accepted.push(rate);
    else outcome.new.push(`${rate} (baseline accepts ${(ceiling * 100).toFixed(2)}%)`);
  }
  const s = result.summary;
  if (s.only_left + s.only_right > 0) {
    const missing = (s.only_left + s.only_right) / s.windows;
    const text = `${s.only_left + s.only_right} rows on one side only`;
    if (missing <= (usable?.max_missing_rate ?? -1) + 1e-12) outcome.accepted.push(text);
    else outcome.new.push(text);
  }
  if (s.duplicates > 0) outcome.new.push(`${s.duplicates} rows with a duplicated (key, window)`);
  return outcome;
}
