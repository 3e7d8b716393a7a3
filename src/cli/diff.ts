// `skewcheck diff`: flags → diffFiles → report → exit code.
import type { Command } from 'commander';
import { diagnoser } from '../diagnose/index.js';
import { diffFiles } from '../diff/index.js';
import { parseFormat } from '../io/index.js';
import { addDiffOptions, type DiffFlags, diffSettingsFrom, parseKeyList } from './diff-options.js';
import type { CliContext } from './main.js';
import { createStatus } from './progress.js';
import { finishRun } from './render-diff.js';

interface DiffCommandFlags extends DiffFlags {
  left: string;
  right: string;
  key: string;
  time?: string;
  format?: string;
}

export function registerDiffCommand(program: Command, context: CliContext): void {
  const command = program
    .command('diff')
    .summary('diff two precomputed feature outputs per key and window')
    .description(
      'Compare two precomputed feature outputs (e.g. an offline-store dump and an online-feature log), ' +
        'aligned on the key column(s) and window_start (+ window_end when both have it).',
    )
    .requiredOption(
      '--left <file>',
      'first output, e.g. the batch/offline one (.parquet, .csv, .json, .ndjson, .arrow)',
    )
    .requiredOption('--right <file>', 'second output, e.g. the stream/online one')
    .requiredOption('--key <col[,col]>', 'entity key column(s)')
    .option('--time <col[,col]>', 'window column(s) to align on (default: window_start[,window_end])')
    .option('--format <format>', 'format of both files when their extensions do not say');
  addDiffOptions(command).addHelpText(
    'after',
    `
Examples:
  $ skewcheck diff --left offline.parquet --right online.parquet --key user_id
  $ skewcheck diff --left a.csv --right b.csv --key user_id,merchant_id --time ts --json -`,
  );
  command.action(async (flags: DiffCommandFlags) => {
    const status = createStatus(context.stderr, flags.quiet);
    const result = await diffFiles({
      leftPath: flags.left,
      rightPath: flags.right,
      format: parseFormat(flags.format),
      keyColumns: parseKeyList(flags.key, '--key'),
      timeColumns: flags.time === undefined ? undefined : parseKeyList(flags.time, '--time'),
      ...diffSettingsFrom(flags),
      mismatchesPath: flags.mismatches,
      inspect: diagnoser({
        onProgress: (check, done, total) =>
          status.say(`diagnosing why rows differ: ${check} (${done + 1}/${total})`),
      }),
    }).finally(() => status.stop());
    finishRun(context, result, flags);
  });
}
