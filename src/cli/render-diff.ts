// Shared ending of `replay` and `diff`: write the JSON and the --report files, print the
// terminal report, set the exit code.
import type { DiffResult } from '../diff/index.js';
import { renderReport } from '../report/index.js';
import type { DiffFlags } from './diff-options.js';
import type { CliContext } from './main.js';
import { colorEnabled, writeJson } from './output.js';
import { reportsUseStdout, writeReports } from './report.js';

export function finishDiff(context: CliContext, result: DiffResult, flags: DiffFlags): void {
  if (flags.json) writeJson(context, result, flags.json);
  writeReports(context, result, flags.report);
  if (!flags.quiet) {
    // When stdout carries the JSON or a report, the human report goes to stderr.
    const stream = flags.json === '-' || reportsUseStdout(flags.report) ? context.stderr : context.stdout;
    stream.write(renderReport('terminal', result, { color: colorEnabled(stream) }));
  }
  context.exitCode = result.verdict === 'pass' ? 0 : 1;
}
