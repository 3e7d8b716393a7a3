// JUnit XML, the format CI systems (Jenkins, GitLab, GitHub test reporters) show as tests: one
// test suite per command run, one test case per feature, and for replay/diff one per row-level
// check (row coverage, duplicates). Failures carry a short message and the numbers.
import { createRequire } from 'node:module';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { DiffResult } from '../diff/index.js';
import { int, keyText, num, percent, time, value } from './format.js';
import type { Renderer, ReportResult } from './types.js';

export interface JunitCase {
  classname: string;
  name: string;
  failure?: { type: string; message: string; details: string };
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
                      `${result.sides[side].label}: ${keyText(e.key)} ${Object.values(e.window).map(time).join(' → ')} ×${e.count}`,
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
            `${keyText(row.key)} ${Object.values(row.window).map(time).join(' → ')}: ${left.label} ${value(d.left)}, ${right.label} ${value(d.right)}`,
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
      skipped: '0',
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
    }
    if (suite.systemOut.length > 0) element.ele('system-out').txt(xmlSafe(suite.systemOut.join('\n')));
  }
  return `${root.end({ prettyPrint: true })}\n`;
}

export function renderJunit(result: ReportResult): string {
  return renderJunitSuites([diffSuite(result)]);
}

export const junitRenderer: Renderer = {
  name: 'junit',
  description: 'JUnit XML: one test case per feature, for CI test reports',
  extensions: ['.xml', '.junit'],
  render: (result) => renderJunit(result),
};
