// Terminal rendering of a drift result: a headline, one table row per feature (most severe first),
// the gate verdict and the notes. The words and numbers come from drift-text.ts, as in every
// other drift report; colour only when asked (the CLI asks on a TTY).
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { FeatureResult } from '../drift/types.js';
import { chunkTableLines } from './drift-chunks-text.js';
import {
  countsText,
  type DriftReport,
  describeGate,
  effectText,
  nullsText,
  pText,
  statisticText,
  testSettingsText,
  typeText,
  verdictLabel,
} from './drift-text.js';
import { int, percent } from './format.js';

export interface DriftTerminalOptions {
  color: boolean;
}

function paintVerdict(f: FeatureResult, c: ChalkInstance): string {
  const label = verdictLabel(f);
  if (label === 'skipped') return c.dim(label);
  if (label === 'cannot test') return c.yellow(label);
  if (label === 'ok') return c.green(label);
  return c.red.bold(label);
}

/** The adjusted p-value of the distribution test, else of the null-rate test. */
function pCell(f: FeatureResult): string {
  if (f.pvalue_adjusted !== null)
    return `${pText(f.pvalue_adjusted)}${f.method === 'exact' ? ' (exact)' : ''}`;
  if (f.null_rate.pvalue_adjusted !== null) return `nulls ${pText(f.null_rate.pvalue_adjusted)}`;
  return '–';
}

function featureTable(result: DriftReport, c: ChalkInstance, color: boolean): string {
  const table = new Table({
    head: [
      'feature',
      'type',
      'n train / prod',
      'statistic',
      'p (adj.)',
      'effect',
      'nulls train → prod',
      'verdict',
    ],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'left', 'right', 'left'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const f of result.features) {
    const nulls = nullsText(f, true);
    table.push([
      f.drift ? c.bold(f.name) : f.name,
      typeText(f, true),
      countsText(f),
      statisticText(f, true),
      pCell(f),
      effectText(f),
      f.null_rate_drift ? c.red(nulls) : nulls,
      paintVerdict(f, c),
    ]);
  }
  return table.toString();
}

export function renderDriftTerminal(result: DriftReport, options: DriftTerminalOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const { train, prod } = result.snapshots;
  const s = result.summary;
  const lines = [
    c.bold(
      `skewcheck drift: train ${train.source} (${int(train.rows)} rows) vs prod ${prod.source} (${int(prod.rows)} rows)`,
    ),
    c.dim(`  ${testSettingsText(result)}`),
    '',
    featureTable(result, c, options.color),
    '',
  ];
  if (result.chunks)
    lines.push(...chunkTableLines(result.chunks).map((l, i) => (i === 0 ? c.bold(l) : l)), '');
  const share = s.tested > 0 ? ` (${percent(s.drifted_share)})` : '';
  const gate = `the gate allows ${describeGate(result.settings.max_drifted)}`;
  const headline = `${s.drifted} of ${s.tested} tested features drifted${share}; ${gate}`;
  lines.push(result.verdict === 'pass' ? c.green(`PASS  ${headline}`) : c.red.bold(`FAIL  ${headline}`));
  if (s.schema_mismatches > 0) {
    lines.push(
      c.red.bold(
        `      and ${s.schema_mismatches} feature(s) missing on one side or typed differently (each fails the gate)`,
      ),
    );
  }
  const notes = result.features.flatMap((f) => f.notes.map((n) => `${f.name}: ${n}`));
  if (notes.length > 0 || result.notes.length > 0) {
    lines.push('', c.bold('Notes'));
    for (const n of [...notes, ...result.notes]) lines.push(`  - ${n}`);
  }
  return `${lines.join('\n')}\n`;
}
