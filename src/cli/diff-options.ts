// Output flags shared by `replay` and `diff`: the JSON result, extra reports, quiet. Their
// setting flags come from the typed tables of config/flags.ts.
import type { Command } from 'commander';
import { addReportOption } from './report.js';

export function addOutputOptions(command: Command): Command {
  command.option('--json <file|->', "write the JSON result to a file, or to stdout with '-'");
  return addReportOption(command).option(
    '-q, --quiet',
    'no progress bar and no report on stdout (exit code and files only)',
  );
}
