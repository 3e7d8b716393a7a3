// Terminal rendering of a drift result: a headline, one table row per feature (most severe first),
// the gate verdict and the notes. Colour only when asked (the CLI asks on a TTY).
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { int, num, percent } from '../report/format.js';
import type { DriftResult, FeatureResult } from './types.js';
import { describeGate } from './verdict.js';

export interface DriftTerminalOptions {
  color: boolean;
}

const CORRECTION_NAMES = { bh: 'Benjamini–Hochberg', bonferroni: 'Bonferroni', none: 'no correction' };

function pText(p: number | null): string {
  if (p === null) return '–';
  if (p < 1e-300) return '<1e-300';
  return num(p, 3);
}

function statisticText(f: FeatureResult): string {
  if (f.statistic === null) return '–';
  if (f.test === 'ks') return `D ${num(f.statistic, 4)}`;
  return `χ² ${num(f.statistic, 5)} (${f.dof} df)`;
}

function effectText(f: FeatureResult): string {
  const parts: string[] = [];
  if (f.effect !== null) parts.push(`${f.effect_measure === 'ks_d' ? 'D' : 'L∞'} ${num(f.effect, 3)}`);
  if (f.numeric?.wasserstein_normalized !== null && f.numeric?.wasserstein_normalized !== undefined) {
    parts.push(`W1/σ ${num(f.numeric.wasserstein_normalized, 3)}`);
  }
  if (f.numeric?.psi !== null && f.numeric?.psi !== undefined) parts.push(`PSI ${num(f.numeric.psi, 3)}`);
  if (f.categorical?.js_distance !== null && f.categorical?.js_distance !== undefined) {
    parts.push(`JS ${num(f.categorical.js_distance, 3)}`);
  }
  return parts.length > 0 ? parts.join(' · ') : '–';
}

function countsText(f: FeatureResult): string {
  if (f.status === 'only_train') return `${int(f.train.count)} / –`;
  if (f.status === 'only_prod') return `– / ${int(f.prod.count)}`;
  return `${int(f.train.count)} / ${int(f.prod.count)}`;
}

function nullsText(f: FeatureResult): string {
  if (f.status === 'only_train' || f.status === 'only_prod') return '–';
  const rates = `${percent(f.train.null_rate)} → ${percent(f.prod.null_rate)}`;
  const p = f.null_rate.pvalue_adjusted;
  if (p === null) return rates;
  const shown = pText(p);
  return `${rates} (p${shown.startsWith('<') ? '' : ' '}${shown})`;
}

function verdictText(f: FeatureResult, c: ChalkInstance): string {
  switch (f.status) {
    case 'type_mismatch':
      return c.red.bold('TYPE MISMATCH');
    case 'only_train':
      return c.red.bold('ONLY IN TRAIN');
    case 'only_prod':
      return c.red.bold('ONLY IN PROD');
    case 'skipped':
      return c.dim('skipped');
    default: {
      if (f.distribution_drift && f.null_rate_drift) return c.red.bold('DRIFT + NULLS');
      if (f.distribution_drift) return c.red.bold('DRIFT');
      if (f.null_rate_drift) return c.red.bold('NULL RATE');
      if (f.status === 'cannot_test') return c.yellow('cannot test');
      return c.green('ok');
    }
  }
}

function typeText(f: FeatureResult): string {
  const t = f.train.type ?? f.prod.type ?? '';
  const type = f.status === 'type_mismatch' ? `${f.train.type}≠${f.prod.type}` : t;
  return `${f.kind} (${type})`;
}

export function renderDriftTerminal(result: DriftResult, options: DriftTerminalOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const { train, prod } = result.snapshots;
  const s = result.summary;
  const settings = result.settings;
  const lines: string[] = [];
  lines.push(
    c.bold(
      `skewcheck drift: train ${train.source} (${int(train.rows)} rows) vs prod ${prod.source} (${int(prod.rows)} rows)`,
    ),
  );
  lines.push(
    c.dim(
      `  alpha ${settings.alpha} · ${CORRECTION_NAMES[settings.correction]} over ${s.tests} tests · ` +
        `min effect ${settings.min_effect} (KS D, L∞) · min null-rate change ${settings.min_null_change}`,
    ),
  );
  lines.push('');
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
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'left', 'right', 'left'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const f of result.features) {
    const method = f.method === 'exact' ? ' (exact)' : '';
    const p =
      f.pvalue_adjusted !== null
        ? `${pText(f.pvalue_adjusted)}${method}`
        : f.null_rate.pvalue_adjusted !== null
          ? `nulls ${pText(f.null_rate.pvalue_adjusted)}`
          : '–';
    table.push([
      f.drift ? c.bold(f.name) : f.name,
      typeText(f),
      countsText(f),
      statisticText(f),
      p,
      effectText(f),
      f.null_rate_drift ? c.red(nullsText(f)) : nullsText(f),
      verdictText(f, c),
    ]);
  }
  lines.push(table.toString());
  lines.push('');
  const share = s.tested > 0 ? ` (${percent(s.drifted_share)})` : '';
  const gate = `the gate allows ${describeGate(settings.max_drifted)}`;
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
    lines.push('');
    lines.push(c.bold('Notes'));
    for (const n of [...notes, ...result.notes]) lines.push(`  - ${n}`);
  }
  return `${lines.join('\n')}\n`;
}
