// Shared ending of `replay`, `diff` and `drift`: write the JSON and the --report files, print
// the terminal report, set the exit code.
import { type ReportResult, renderReport } from '../report/index.js';
import type { CliContext } from './context.js';
import { colorEnabled, writeJson } from './output.js';
import { type ReportTarget, reportsUseStdout, writeReports } from './report.js';

export interface FinishFlags {
  json?: string;
  report?: ReportTarget[];
  quiet?: boolean;
}

export function finishRun(context: CliContext, result: ReportResult, flags: FinishFlags): void {
  if (flags.json) writeJson(context, result, flags.json);
  writeReports(context, result, flags.report);
  if (!flags.quiet) {
    // When stdout carries the JSON or a report, the human report goes to stderr.
    const stream = flags.json === '-' || reportsUseStdout(flags.report) ? context.stderr : context.stdout;
    stream.write(renderReport('terminal', result, { color: colorEnabled(stream) }));
  }
  context.exitCode = result.verdict === 'pass' ? 0 : 1;
}
