// Shared ending of `replay` and `diff`: write the JSON, print the report, set the exit code.
import type { DiffResult } from '../diff/index.js';
import { renderDiffTerminal } from '../report/terminal-diff.js';
import type { DiffFlags } from './diff-options.js';
import type { CliContext } from './main.js';
import { colorEnabled, writeJson } from './output.js';

export function finishDiff(context: CliContext, result: DiffResult, flags: DiffFlags): void {
  if (flags.json) writeJson(context, result, flags.json);
  if (!flags.quiet) {
    // With `--json -` stdout carries only the JSON, so the human report goes to stderr.
    const stream = flags.json === '-' ? context.stderr : context.stdout;
    stream.write(renderDiffTerminal(result, { color: colorEnabled(stream) }));
  }
  context.exitCode = result.verdict === 'pass' ? 0 : 1;
}
