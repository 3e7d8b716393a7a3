// JUnit XML, the format CI systems (Jenkins, GitLab, GitHub test reporters) show as tests: one
// test suite per command run, one test case per feature, plus the run-level checks (replay/diff:
// row coverage and duplicates; drift: the gate on drifted features). Failures carry a short
// message and the numbers.
import { createRequire } from 'node:module';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { DiffResult } from '../diff/index.js';
import { exceedsGate } from '../drift/verdict.js';
import { windowText } from './diff-text.js';
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
import { int, keyText, num, percent, value } from './format.js';
import { isDriftResult, type Renderer, type ReportResult } from './types.js';

export interface JunitCase {
  classname: string;
  name: string;
  failure?: { type: string; message: string; details: string };
  /** Why the case was not run (a feature that is not tested). */
  skipped?: string;
  /** Remarks on a passing case. */
  systemOut?: string;
}

export interface JunitSuite {
  name: string;
  properties: [string, string][];
  cases: JunitCase[];
  systemOut: string[];
}

/** Characters XML 1.0 cannot hold (most C0 controls, U+FFFE/U+FFFF, lone surrogates) become U+FFFD. */
export function xmlSafe(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      code >= 0x10000;
    out += allowed ? char : '\uFFFD';
  }
  return out;
}

export function diffSuite(result: DiffResult): JunitSuite {
  const { left, right } = result.sides;
  const s = result.summary;
  const classname = `skewcheck.${result.command}`;
  const cases: JunitCase[] = [];

  const differing = s.mismatched + s.only_left + s.only_right;
  const rowsFail = differing > 0 && s.mismatch_rate > result.max_mismatch_rate;
  cases.push({
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
  });
  cases.push({
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
  });

  for (const f of result.features) {
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
      failure = {
        type: 'missing_feature',
        message: `${f.name} exists only on the ${side} side`,
        details: '',
      };
    } else if (fails) {
      const numbers = [
        `${int(f.mismatches)} of ${int(f.compared)} rows differ (${percent(f.mismatch_rate)})`,
      ];
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
      failure = {
        type: 'mismatch',
        message: numbers.join(', '),
        details: [
          `tolerance: ${f.tolerance ? `abs ${num(f.tolerance.abs)}, rel ${num(f.tolerance.rel)}` : 'exact'}`,
          ...examples,
        ].join('\n'),
      };
    }
    cases.push({
      classname: `${classname}.features`,
      name: f.name,
      ...(fails && failure ? { failure } : {}),
    });
  }

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
    systemOut: [...result.reasons.map((r) => `FAIL ${r}`), ...result.notes.map((n) => `note: ${n}`)],
  };
}

// Required on first use (a CommonJS package): commands that write no JUnit do not load it.
const require = createRequire(import.meta.url);

export function renderJunitSuites(suites: JunitSuite[]): string {
  const { create } = require('xmlbuilder2') as typeof import('xmlbuilder2');
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failure).length, 0);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: 'skewcheck',
    tests: String(tests),
    failures: String(failures),
    errors: '0',
  });
  for (const suite of suites) {
    const element: XMLBuilder = root.ele('testsuite', {
      name: xmlSafe(suite.name),
      tests: String(suite.cases.length),
      failures: String(suite.cases.filter((c) => c.failure).length),
      errors: '0',
      skipped: String(suite.cases.filter((c) => c.skipped !== undefined).length),
    });
    const properties = element.ele('properties');
    for (const [name, value] of suite.properties) {
      properties.ele('property', { name: xmlSafe(name), value: xmlSafe(value) });
    }
    for (const c of suite.cases) {
      const testcase = element.ele('testcase', { classname: xmlSafe(c.classname), name: xmlSafe(c.name) });
      if (c.failure) {
        testcase
          .ele('failure', { type: c.failure.type, message: xmlSafe(c.failure.message) })
          .txt(xmlSafe(c.failure.details));
      }
      if (c.skipped !== undefined) testcase.ele('skipped', { message: xmlSafe(c.skipped) });
      if (c.systemOut) testcase.ele('system-out').txt(xmlSafe(c.systemOut));
    }
    if (suite.systemOut.length > 0) element.ele('system-out').txt(xmlSafe(suite.systemOut.join('\n')));
  }
  return `${root.end({ prettyPrint: true })}\n`;
}

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

export function renderJunit(result: ReportResult): string {
  return renderJunitSuites([isDriftResult(result) ? driftSuite(result) : diffSuite(result)]);
}

export const junitRenderer: Renderer = {
  name: 'junit',
  description: 'JUnit XML: one test case per feature, for CI test reports',
  extensions: ['.xml', '.junit'],
  render: (result) => renderJunit(result),
};
