// `skewcheck diff`: flags → diff() → report → exit code.
import type { Command } from 'commander';
import { diff } from '../api/index.js';
import { diffFlags } from '../config/flags.js';
import type { CliContext } from './context.js';
import { addOutputOptions } from './diff-options.js';
import { createStatus } from './progress.js';
import { type FinishFlags, finishRun } from './render-diff.js';
import { addSettingFlags, settingsFromFlags } from './settings-flags.js';

export function registerDiffCommand(program: Command, context: CliContext): void {
  const command = program
    .command('diff')
    .summary('diff two precomputed feature outputs per key and window')
    .description(
      'Compare two precomputed feature outputs (e.g. an offline-store dump and an online-feature log), ' +
        'aligned on the key column(s) and window_start (+ window_end when both have it).',
    );
  addSettingFlags(command, diffFlags);
  addOutputOptions(command).addHelpText(
    'after',
    `
Examples:
  $ skewcheck diff --left offline.parquet --right online.parquet --key user_id
  $ skewcheck diff --left a.csv --right b.csv --key user_id,merchant_id --time ts --json -`,
  );
  command.action(async (flags: FinishFlags & Record<string, unknown>) => {
    const status = createStatus(context.stderr, flags.quiet);
    const result = await diff({
      ...settingsFromFlags(flags, diffFlags),
      onDiagnosis: (check, done, total) =>
        status.say(`diagnosing why rows differ: ${check} (${done + 1}/${total})`),
    }).finally(() => status.stop());
    finishRun(context, result, flags);
  });
}
