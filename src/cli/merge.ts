// `skewcheck merge`: shard result files → merge() → report → exit code.
import type { Command } from 'commander';
import { merge } from '../api/index.js';
import type { CliContext } from './context.js';
import { type FinishFlags, finishRun } from './render-diff.js';
import { addReportOption } from './report.js';

export function registerMergeCommand(program: Command, context: CliContext): void {
  const command = program
    .command('merge')
    .summary('combine the results of a sharded replay or diff (--shard i/N) into one result')
    .description(
      'Combine the JSON results of every shard of one sharded run (`replay|diff --shard i/N --json …`) ' +
        'into the result of the whole run: counts summed, top keys and sample rows re-ranked, diagnoses ' +
        'combined per cause and evidence tier, the verdict recomputed. Refuses results of different ' +
        'runs, missing or repeated shards, and shards that together compared nothing (exit 2).',
    )
    .argument('<result.json...>', 'the shard results, one per shard, in any order')
    .option('--json <file|->', "write the merged JSON result to a file, or to stdout with '-'");
  addReportOption(command)
    .option('-q, --quiet', 'no report on stdout (exit code and files only)')
    .addHelpText(
      'after',
      `
Examples:
  $ skewcheck replay … --shard 0/4 --json shard-0.json   # and 1/4, 2/4, 3/4 elsewhere
  $ skewcheck merge shard-*.json --json result.json --report md=summary.md`,
    )
    .action(async (files: string[], flags: FinishFlags) => {
      finishRun(context, await merge(files), flags);
    });
}
