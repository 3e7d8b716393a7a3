// `skewcheck drift`: flags → drift() → report → exit code.
import type { Command } from 'commander';
import { drift } from '../api/index.js';
import { driftFlags } from '../config/flags.js';
import type { CliContext } from './context.js';
import { type FinishFlags, finishRun } from './render-diff.js';
import { addReportOption } from './report.js';
import { addSettingFlags, settingsFromFlags } from './settings-flags.js';

export function registerDriftCommand(program: Command, context: CliContext): void {
  const command = program.command('drift');
  addSettingFlags(command, driftFlags);
  command
    .summary('test training and production feature snapshots for drift')
    .description(
      'Compare the distribution of every feature between a training and a production snapshot: ' +
        'two-sample Kolmogorov–Smirnov for numeric features, chi-square for categorical ones, a ' +
        'z-test on null rates, with a multiple-testing correction and an effect-size floor.',
    )
    .option('--json <file|->', "write the JSON result to a file, or to stdout with '-'")
    .option('-q, --quiet', 'no report on stdout (exit code and --json only)')
    .addHelpText(
      'after',
      `
Exit codes: 0 no drift beyond the gate, 1 drift (or a feature missing/typed differently), 2 usage or input error.

Examples:
  $ skewcheck drift --train train.parquet --prod prod.parquet --exclude user_id,snapshot_ts
  $ skewcheck drift --train a.csv --prod b.csv --categorical plan --max-drifted 10% --json drift.json
  $ skewcheck drift --train train.parquet --prod prod/ --by day --time event_date --report html=drift.html`,
    )
    .action(async (flags: FinishFlags & Record<string, unknown>) => {
      const result = await drift(settingsFromFlags(flags, driftFlags));
      finishRun(context, result, flags);
    });
  addReportOption(command);
}
