// The JUnit file of a `check` run: one test suite per check (its command's own suite), and a
// single failing or skipped case for a check that could not run or was skipped.
import type { CheckRunResult } from '../check/types.js';
import type { JunitSuite } from './junit.js';
import { renderJunitSuites } from './junit.js';
import { diffSuite } from './junit-diff.js';
import { driftSuite } from './junit-drift.js';

export function renderCheckJunit(result: CheckRunResult): string {
  const suites: JunitSuite[] = result.checks.map((c) => {
    if (c.result) {
      const suite = c.result.command === 'drift' ? driftSuite(c.result as never) : diffSuite(c.result);
      suite.name = c.name;
      if (c.status === 'baselined') {
        // Accepted differences are not failures of this run; keep them visible as output.
        suite.cases = suite.cases.map((t) =>
          t.failure
            ? { ...t, failure: undefined, systemOut: `accepted in the baseline: ${t.failure.message}` }
            : t,
        );
      }
      if (c.baseline && c.status === 'fail')
        suite.systemOut.push(
          ...c.baseline.new.map((n) => `new or worse than the baseline: ${n}`),
          ...c.baseline.expired,
        );
      return suite;
    }
    return {
      name: c.name,
      properties: [['kind', c.kind]],
      cases: [
        c.status === 'skipped'
          ? { classname: `skewcheck.${c.name}`, name: c.name, skipped: c.skipped_reason ?? 'skipped' }
          : {
              classname: `skewcheck.${c.name}`,
              name: c.name,
              failure: { type: 'error', message: c.headline, details: c.error ?? '' },
            },
      ],
      systemOut: [],
    };
  });
  return renderJunitSuites(suites);
}
