// The JUnit suite of a replay/diff result: the run-level checks (row coverage, duplicates), then
// one test case per feature; failures carry a short message and the numbers.

import type { DiffResult, FeatureDiff } from '../diff/index.js';
import { windowText } from './diff-text.js';
import { firstDivergenceJunit } from './first-divergence.js';
import { int, keyText, num, percent, tierLabel, value } from './format.js';
import type { JunitCase, JunitSuite } from './junit.js';

function rowsCase(result: DiffResult, classname: string): JunitCase {
  const { left, right } = result.sides;
  const s = result.summary;
  const differing = s.mismatched + s.only_left + s.only_right;
  const rowsFail = differing > 0 && s.mismatch_rate > result.max_mismatch_rate;
  return {
    classname,
    name: `(key, window) rows agree within max mismatch rate ${percent(result.max_mismatch_rate)}`,
    ...(rowsFail
      ? {
          failure: {
            type: 'rows_differ',
            message: `${int(differing)} of ${int(s.windows)} (key, window) rows differ (${percent(s.mismatch_rate)} > allowed ${percent(result.max_mismatch_rate)})`,
            details: [
              `mismatched: ${int(s.mismatched)}`,
              `only ${left.label}: ${int(s.only_left)}`,
              `only ${right.label}: ${int(s.only_right)}`,
              `matched: ${int(s.matched)}`,
              ...(result.diagnoses ?? []).map(
                (d) =>
                  `${tierLabel(d.tier)} (${d.tier}, ${percent(d.share)}): ${d.code}: ${d.message}${d.tier === 'unexplained' ? '' : ` (fix: ${d.fix_hint})`}`,
              ),
              ...result.top_keys
                .slice(0, 5)
                .map(
                  (k) =>
                    `key ${keyText(k.key)}: ${int(k.mismatched_windows)} mismatched, ${int(k.only_left)} only ${left.label}, ${int(k.only_right)} only ${right.label}`,
                ),
            ].join('\n'),
          },
        }
      : {}),
  };
}

function duplicatesCase(result: DiffResult, classname: string): JunitCase {
  const s = result.summary;
  return {
    classname,
    name: 'no duplicated (key, window) rows',
    ...(s.duplicates > 0
      ? {
          failure: {
            type: 'duplicates',
            message: `${int(s.duplicates)} rows have a duplicated (key, window) and were not compared`,
            details: (['left', 'right'] as const)
              .flatMap((side) =>
                result.duplicates[side].examples
                  .slice(0, 5)
                  .map(
                    (e) =>
                      `${result.sides[side].label}: ${keyText(e.key)} ${windowText(e.window)} ×${e.count}`,
                  ),
              )
              .join('\n'),
          },
        }
      : {}),
  };
}

function mismatchFailure(f: FeatureDiff, result: DiffResult): JunitCase['failure'] {
  const { left, right } = result.sides;
  const numbers = [`${int(f.mismatches)} of ${int(f.compared)} rows differ (${percent(f.mismatch_rate)})`];
  if (f.max_abs_diff !== null)
    numbers.push(`max abs diff ${num(f.max_abs_diff)}`, `max rel diff ${num(f.max_rel_diff)}`);
  if (f.null_mismatches > 0) numbers.push(`${int(f.null_mismatches)} NULL vs value`);
  const examples = result.samples
    .flatMap((row) => row.differences.filter((d) => d.feature === f.name).map((d) => ({ row, d })))
    .slice(0, 5)
    .map(
      ({ row, d }) =>
        `${keyText(row.key)} ${windowText(row.window)}: ${left.label} ${value(d.left)}, ${right.label} ${value(d.right)}`,
    );
  return {
    type: 'mismatch',
    message: numbers.join(', '),
    details: [
      `tolerance: ${f.tolerance ? `abs ${num(f.tolerance.abs)}, rel ${num(f.tolerance.rel)}` : 'exact'}`,
      ...examples,
    ].join('\n'),
  };
}

function featureCase(f: FeatureDiff, result: DiffResult, classname: string): JunitCase {
  const { left, right } = result.sides;
  const fails = f.status !== 'compared' || (f.mismatches > 0 && f.mismatch_rate > result.max_mismatch_rate);
  let failure: JunitCase['failure'];
  if (f.status === 'type_mismatch') {
    failure = {
      type: 'type_mismatch',
      message: `${f.name} is ${f.left_type} on the ${left.label} side and ${f.right_type} on the ${right.label} side`,
      details: `${int(f.mismatches)} of ${int(f.compared)} rows differ as text`,
    };
  } else if (f.status === 'only_left' || f.status === 'only_right') {
    const side = f.status === 'only_left' ? left.label : right.label;
    failure = { type: 'missing_feature', message: `${f.name} exists only on the ${side} side`, details: '' };
  } else if (fails) {
    failure = mismatchFailure(f, result);
  }
  return { classname, name: f.name, ...(fails && failure ? { failure } : {}) };
}

export function diffSuite(result: DiffResult): JunitSuite {
  const { left, right } = result.sides;
  const s = result.summary;
  const classname = `skewcheck.${result.command}`;
  const cases: JunitCase[] = [
    rowsCase(result, classname),
    duplicatesCase(result, classname),
    ...result.features.map((f) => featureCase(f, result, `${classname}.features`)),
  ];
  return {
    name: `skewcheck ${result.command}: ${left.label} ${left.source} vs ${right.label} ${right.source}`,
    properties: [
      ['command', result.command],
      ['verdict', result.verdict],
      [`${left.label}.source`, left.source],
      [`${left.label}.rows`, String(left.rows)],
      [`${right.label}.source`, right.source],
      [`${right.label}.rows`, String(right.rows)],
      ['keys', result.keys.join(',')],
      ['time_columns', result.time_columns.join(',')],
      ['tolerance.abs', String(result.tolerance.abs)],
      ['tolerance.rel', String(result.tolerance.rel)],
      ['max_mismatch_rate', String(result.max_mismatch_rate)],
      ['windows', String(s.windows)],
      ['mismatch_rate', String(s.mismatch_rate)],
      ...(result.replay ? ([['events', String(result.replay.events)]] as [string, string][]) : []),
    ],
    cases,
    systemOut: [
      ...result.reasons.map((r) => `FAIL ${r}`),
      ...result.notes.map((n) => `note: ${n}`),
      ...firstDivergenceJunit(result),
    ],
  };
}
