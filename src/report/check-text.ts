// Words of a `check` run shared by its reports (plain text: each renderer escapes it).
import type { CheckEntry, CheckRunResult } from '../check/types.js';

export const CHECK_LABEL: Record<CheckEntry['status'], string> = {
  pass: '✅ pass',
  baselined: '☑️ baselined',
  fail: '❌ FAIL',
  error: '⚠️ ERROR',
  skipped: '⏭️ skipped',
};

/** "3 passed, 1 baselined, 1 failed": the non-zero counts of a run, for every report. */
export function summaryCounts(summary: CheckRunResult['summary']): string {
  return [
    `${summary.passed} passed`,
    summary.baselined ? `${summary.baselined} baselined` : '',
    summary.failed ? `${summary.failed} failed` : '',
    summary.errors ? `${summary.errors} errors` : '',
    summary.skipped ? `${summary.skipped} skipped` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

export function checkVerdictLine(result: CheckRunResult): string {
  const word = result.verdict === 'pass' ? '✅ PASS' : result.verdict === 'fail' ? '❌ FAIL' : '⚠️ ERROR';
  return `${word} — ${result.summary.checks} checks: ${summaryCounts(result.summary)}`;
}
