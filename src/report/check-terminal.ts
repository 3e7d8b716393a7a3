// The `check` summary table: one row per check with its verdict and headline numbers.
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { CheckRunResult } from '../check/types.js';
import { summaryCounts } from './check-text.js';

const SYMBOL: Record<string, string> = {
  pass: 'pass',
  fail: 'FAIL',
  baselined: 'baselined',
  error: 'ERROR',
  skipped: 'skipped',
};

export function renderCheckTerminal(
  result: CheckRunResult,
  options: { color: boolean; durations?: ReadonlyMap<string, number> },
): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const paint = (status: string) =>
    status === 'pass' ? c.green : status === 'baselined' ? c.cyan : status === 'skipped' ? c.dim : c.red;
  const table = new Table({
    head: ['check', 'kind', 'verdict', 'headline', 'time'],
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] },
    colAligns: ['left', 'left', 'left', 'left', 'right'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: true,
    colWidths: [null, null, null, 70, null] as unknown as number[],
  });
  for (const check of result.checks) {
    const time = options.durations?.get(check.name);
    table.push([
      check.name,
      check.kind,
      paint(check.status)(SYMBOL[check.status] ?? check.status),
      check.headline,
      time === undefined || check.status === 'skipped' ? '' : `${(time / 1000).toFixed(1)} s`,
    ]);
  }
  const lines = [c.bold(`skewcheck check: ${result.config}`), table.toString()];
  for (const check of result.checks.filter((x) => x.status === 'error' && x.error)) {
    lines.push(c.red(`${check.name}: ${check.error}`));
  }
  for (const note of result.notes) lines.push(c.yellow(`note: ${note}`));
  const s = result.summary;
  const verdict =
    result.verdict === 'pass'
      ? c.green.bold('PASS')
      : result.verdict === 'fail'
        ? c.red.bold('FAIL')
        : c.red.bold('ERROR');
  lines.push(`${verdict} ${s.checks} checks: ${summaryCounts(s)}`);
  return `${lines.join('\n')}\n`;
}
