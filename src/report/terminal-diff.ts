// Terminal rendering of a replay/diff result: the headline, a per-feature table, the top keys
// and the first mismatching rows — concise enough to read in a CI log.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { DiffResult, FeatureDiff } from '../diff/index.js';
import { shardText } from './diff-text.js';
import { firstDivergenceTerminal } from './first-divergence.js';
import { int, keyText, num, percent, time, value } from './format.js';
import { renderDiagnoses } from './terminal-diagnoses.js';

export interface TerminalOptions {
  color: boolean;
  /** How many sample rows to print (the JSON keeps all it has). */
  sampleRows?: number;
}

type Lines = string[];

function header(result: DiffResult, c: ChalkInstance): Lines {
  const { left, right } = result.sides;
  const s = result.summary;
  const title =
    result.command === 'replay'
      ? `skewcheck replay: ${left.label} ${left.source} vs ${right.label} ${right.source}`
      : `skewcheck diff: ${left.source} vs ${right.source}`;
  const facts: string[] = [];
  if (result.replay) facts.push(`${int(result.replay.events)} events replayed`);
  facts.push(`${left.label} ${int(left.rows)} rows`, `${right.label} ${int(right.rows)} rows`);
  facts.push(`aligned on ${[...result.keys, ...result.time_columns].join(', ')}`);
  const counts = [
    `windows ${int(s.windows)}`,
    c.green(`matched ${int(s.matched)}`),
    (s.mismatched ? c.red : c.dim)(`mismatched ${int(s.mismatched)}`),
    (s.only_left ? c.red : c.dim)(`only ${left.label} ${int(s.only_left)}`),
    (s.only_right ? c.red : c.dim)(`only ${right.label} ${int(s.only_right)}`),
    (s.duplicates ? c.red : c.dim)(`duplicates ${int(s.duplicates)}`),
  ];
  const shard = shardText(result);
  return [
    c.bold(title),
    c.dim(`  ${facts.join(' · ')}`),
    ...(shard ? [c.dim(`  ${shard}`)] : []),
    '',
    `  ${counts.join('   ')}`,
    '',
  ];
}

function featureStatusText(f: FeatureDiff, result: DiffResult): string {
  if (f.status === 'compared') return f.mismatches > 0 ? 'differs' : 'ok';
  if (f.status === 'type_mismatch') return `type ${f.left_type}≠${f.right_type}`;
  return f.status === 'only_left' ? `only ${result.sides.left.label}` : `only ${result.sides.right.label}`;
}

function featureTable(result: DiffResult, c: ChalkInstance, color: boolean): Lines {
  if (result.features.length === 0) return [];
  const table = new Table({
    head: ['feature', 'status', 'compared', 'mismatches', 'rate', 'max abs diff', 'max rel diff'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const f of result.features) {
    const bad = f.mismatches > 0 || f.status !== 'compared';
    const status = featureStatusText(f, result);
    table.push([
      bad ? c.red(f.name) : f.name,
      bad ? c.red(status) : c.green(status),
      int(f.compared),
      int(f.mismatches),
      percent(f.mismatch_rate),
      num(f.max_abs_diff),
      num(f.max_rel_diff),
    ]);
  }
  return [table.toString(), ''];
}

function topKeys(result: DiffResult, c: ChalkInstance): Lines {
  if (result.top_keys.length === 0) return [];
  const { left, right } = result.sides;
  const lines = [c.bold('Top offending keys')];
  for (const k of result.top_keys) {
    const parts = [];
    if (k.mismatched_windows) parts.push(`${int(k.mismatched_windows)} mismatched`);
    if (k.only_left) parts.push(`${int(k.only_left)} only ${left.label}`);
    if (k.only_right) parts.push(`${int(k.only_right)} only ${right.label}`);
    const features = k.features.length ? c.dim(` (${k.features.join(', ')})`) : '';
    lines.push(`  ${keyText(k.key)}  ${parts.join(', ')}${features}`);
  }
  return [...lines, ''];
}

function sampleRows(result: DiffResult, c: ChalkInstance, count: number): Lines {
  const shown = result.samples.slice(0, count);
  if (shown.length === 0) return [];
  const { left, right } = result.sides;
  const s = result.summary;
  const lines = [
    c.bold(`First ${shown.length} differing rows`) +
      c.dim(` (of ${int(s.mismatched + s.only_left + s.only_right)})`),
  ];
  for (const row of shown) {
    const window = Object.values(row.window).map(time).join(' → ');
    const head = `  ${keyText(row.key)}  ${window}`;
    if (row.status === 'only_left') lines.push(`${head}  ${c.yellow(`only in ${left.label}`)}`);
    else if (row.status === 'only_right') lines.push(`${head}  ${c.yellow(`only in ${right.label}`)}`);
    else {
      lines.push(head);
      for (const d of row.differences) {
        const diff = d.abs_diff !== null ? c.dim(`  (diff ${num(d.abs_diff)})`) : '';
        lines.push(
          `      ${d.feature}: ${left.label} ${value(d.left)}  ${right.label} ${value(d.right)}${diff}`,
        );
      }
    }
  }
  return [...lines, ''];
}

function duplicatesAndLate(result: DiffResult, c: ChalkInstance): Lines {
  const lines: Lines = [];
  for (const side of ['left', 'right'] as const) {
    const d = result.duplicates[side];
    if (d.rows === 0) continue;
    const label = result.sides[side].label;
    lines.push(
      c.red(
        `Duplicates on the ${label} side: ${int(d.groups)} (key, window) groups, ${int(d.rows)} rows (not compared)`,
      ),
    );
    for (const e of d.examples.slice(0, 5)) {
      lines.push(`  ${keyText(e.key)}  ${Object.values(e.window).map(time).join(' → ')}  ×${e.count}`);
    }
    lines.push('');
  }
  const late = result.replay?.late;
  if (late && late.events > 0) {
    lines.push(
      c.bold('Late events dropped by the stream') +
        c.dim(` (${int(late.events)} events, ${int(late.windows)} windows)`),
    );
    for (const w of late.examples.slice(0, 5)) {
      lines.push(
        `  ${keyText(w.key)}  ${time(w.window_start)}  ${int(w.events)} late event${w.events === 1 ? '' : 's'}`,
      );
    }
    lines.push('');
  }
  return lines;
}

function notes(result: DiffResult, c: ChalkInstance): Lines {
  const lines = result.notes.map((note) => c.yellow(`note: ${note}`));
  if (result.mismatches_file)
    lines.push(c.dim(`every differing row was written to ${result.mismatches_file}`));
  const shardFiles = result.merged_from?.mismatches_files ?? [];
  if (shardFiles.length > 0)
    lines.push(c.dim(`every differing row is in the shards' files: ${shardFiles.join(', ')}`));
  if (result.notes.length > 0 || result.mismatches_file || shardFiles.length > 0) lines.push('');
  return lines;
}

function verdict(result: DiffResult, c: ChalkInstance): Lines {
  const { left, right } = result.sides;
  const s = result.summary;
  if (result.shard?.empty) return [`${c.yellow.bold('EMPTY SHARD')} ${shardText(result)}`];
  if (result.verdict === 'pass') {
    const tolerated = s.mismatched + s.only_left + s.only_right;
    const extra =
      tolerated > 0
        ? ` (${int(tolerated)} differing rows within --max-mismatch-rate ${result.max_mismatch_rate})`
        : '';
    return [
      `${c.green.bold('PASS')} ${left.label} and ${right.label} agree on ${int(s.matched)} of ${int(s.windows)} (key, window) rows${extra}`,
    ];
  }
  const lines = [`${c.red.bold('FAIL')} ${result.reasons.join('; ')}`];
  const differing = result.features.filter((f) => f.mismatches > 0).map((f) => f.name);
  if (differing.length > 0) lines.push(`     features that differ: ${differing.join(', ')}`);
  return lines;
}

export function renderDiffTerminal(result: DiffResult, options: TerminalOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const lines = [
    ...header(result, c),
    ...featureTable(result, c, options.color),
    ...topKeys(result, c),
    ...sampleRows(result, c, options.sampleRows ?? 10),
    ...duplicatesAndLate(result, c),
    ...notes(result, c),
    ...renderDiagnoses(result, c),
    ...firstDivergenceTerminal(result, c.dim),
    ...verdict(result, c),
  ];
  return `${lines.join('\n')}\n`;
}
