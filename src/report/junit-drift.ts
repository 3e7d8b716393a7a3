// The JUnit suite of a drift result: the gate on drifted features, then one test case per
// feature with its statistic, p-values, effect sizes and null rates.
import { exceedsGate } from '../drift/verdict.js';
import {
  countsText,
  type DriftReport,
  describeGate,
  driftMessage,
  effectText,
  isSchemaMismatch,
  nullsText,
  pAdjustedText,
  pText,
  shiftText,
  statisticText,
  typeText,
} from './drift-text.js';
import { int, percent } from './format.js';
import type { JunitCase, JunitSuite } from './junit.js';

export function driftSuite(result: DriftReport): JunitSuite {
  const { train, prod } = result.snapshots;
  const s = result.summary;
  const gate = result.settings.max_drifted;
  const overGate = exceedsGate(s, gate);
  const cases: JunitCase[] = [
    {
      classname: 'skewcheck.drift',
      name: `drifted features within the gate (${describeGate(gate)})`,
      ...(overGate
        ? {
            failure: {
              type: 'drift',
              message: `${int(s.drifted)} of ${int(s.tested)} tested features drifted (${percent(s.drifted_share)}); the gate allows ${describeGate(gate)}`,
              details: result.features
                .filter((f) => f.drift)
                .map((f) => `${f.name}: ${driftMessage(f)}`)
                .join('\n'),
            },
          }
        : {}),
    },
  ];
  for (const f of result.features) {
    const c: JunitCase = { classname: 'skewcheck.drift.features', name: f.name };
    const details = [
      `${typeText(f)}; n train / prod ${countsText(f)}`,
      `statistic ${statisticText(f)}, p ${pText(f.pvalue)}, p adj. ${pAdjustedText(f)}`,
      `effect ${effectText(f)}`,
      `nulls ${nullsText(f)}`,
      ...(shiftText(f) ? [shiftText(f)!] : []),
      ...(f.categorical?.top_shifts ?? []).map(
        (x) => `${x.category}: ${percent(x.train_share)} → ${percent(x.prod_share)}`,
      ),
      ...f.notes,
    ].join('\n');
    if (isSchemaMismatch(f)) {
      c.failure = {
        type: f.status === 'type_mismatch' ? 'type_mismatch' : 'missing_feature',
        message: driftMessage(f),
        details: f.notes.join('\n'),
      };
    } else if (f.drift && overGate) {
      c.failure = {
        type: f.distribution_drift ? 'drift' : 'null_rate_drift',
        message: driftMessage(f),
        details,
      };
    } else if (f.status === 'skipped') {
      c.skipped = f.notes[0] ?? 'not tested';
    } else {
      c.systemOut = f.drift
        ? `drifted, within the gate (${describeGate(gate)}): ${driftMessage(f)}\n${details}`
        : details;
    }
    cases.push(c);
  }
  return {
    name: `skewcheck drift: train ${train.source} vs prod ${prod.source}`,
    properties: [
      ['command', 'drift'],
      ['verdict', result.verdict],
      ['train.source', train.source],
      ['train.rows', String(train.rows)],
      ['prod.source', prod.source],
      ['prod.rows', String(prod.rows)],
      ['alpha', String(result.settings.alpha)],
      ['correction', result.settings.correction],
      ['min_effect', String(result.settings.min_effect)],
      ['min_null_change', String(result.settings.min_null_change)],
      ['max_drifted', describeGate(gate)],
      ['tests', String(s.tests)],
    ],
    cases,
    systemOut: [...result.reasons.map((r) => `FAIL ${r}`), ...result.notes.map((n) => `note: ${n}`)],
  };
}
