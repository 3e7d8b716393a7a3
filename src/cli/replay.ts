// `skewcheck replay`: flags → replay() → report → exit code.
import type { Command } from 'commander';
import { replay } from '../api/index.js';
import { replayFlags } from '../config/flags.js';
import type { CliContext } from './context.js';
import { addOutputOptions } from './diff-options.js';
import { createProgress, createStatus } from './progress.js';
import { type FinishFlags, finishRun } from './render-diff.js';
import { addSettingFlags, settingsFromFlags } from './settings-flags.js';

export function registerReplayCommand(program: Command, context: CliContext): void {
  const command = program
    .command('replay')
    .summary('replay one event log through batch SQL and a streaming module, and diff the outputs')
    .description(
      'Replay one event log through two implementations of a feature set — a batch SQL file run by ' +
        'DuckDB over a view named `events`, and a streaming TypeScript/JavaScript module that sees the ' +
        'events one at a time in event-time order — then diff both outputs per key and window.',
    );
  addSettingFlags(command, replayFlags);
  addOutputOptions(command).addHelpText(
    'after',
    `
Examples:
  $ skewcheck replay --events samples/fraud/events.parquet --batch samples/fraud/features.sql \\
      --stream samples/fraud/features.ts --key user_id
  $ skewcheck replay --events 'logs/date=*/*.parquet' --batch f.sql --stream f.ts --key user_id \\
      --tol total_spent_5m=abs:0.01 --json result.json --mismatches mismatches.parquet
  $ skewcheck replay … --arrival-column ingest_ts --max-out-of-orderness 30s --allowed-lateness 1m
  $ skewcheck replay … --simulate-delay rate=0.01,max=4h --max-out-of-orderness 5m`,
  );
  command.action(async (flags: FinishFlags & Record<string, unknown>) => {
    const settings = settingsFromFlags(flags, replayFlags);
    const progress = createProgress(context.stderr, flags.quiet);
    const status = createStatus(context.stderr, flags.quiet);
    try {
      const result = await replay({
        ...settings,
        onProgress: (done, total) => progress.update(done, total),
        onDiagnosis: (check, done, total) => {
          progress.stop();
          status.say(`diagnosing why rows differ: ${check} (${done + 1}/${total})`);
        },
      });
      progress.stop();
      status.stop();
      finishRun(context, result, flags);
    } finally {
      progress.stop();
      status.stop();
    }
  });
}
