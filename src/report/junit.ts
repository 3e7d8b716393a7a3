// JUnit XML, the format CI systems (Jenkins, GitLab, GitHub test reporters) show as tests: one
// test suite per command run (junit-diff.ts, junit-drift.ts, junit-check.ts), one test case per
// feature. This module writes the suites as XML.
import { createRequire } from 'node:module';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';

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
