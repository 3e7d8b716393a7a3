// `merge()`: the library form of `skewcheck merge` — the shard results of one sharded run
// (`replay|diff` with `shard: 'i/N'`) combined into the result of the whole run.
import { readFileSync } from 'node:fs';
import type { DiffResult } from '../diff/index.js';
import { InputError, messageOf, UsageError } from '../errors.js';
import { protectInput } from '../io/index.js';
import { mergeResults } from '../merge/index.js';
import { readResult } from '../report/index.js';

/** A shard result: the path of its JSON file (as `--json` wrote it), or the result itself. */
export type ShardResultInput = string | DiffResult;

function readShardResult(file: string): DiffResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${messageOf(error)}`, { file });
  }
  protectInput(file, `shard result ${file}`);
  const result = readResult(text, file);
  if (result.command !== 'replay' && result.command !== 'diff') {
    throw new InputError(
      `${file} is a ${result.command} result: merge combines the shard results of replay and diff`,
      { file },
    );
  }
  return result as DiffResult;
}

/**
 * Combine every shard result of one sharded replay or diff, in any order, into the result of the
 * whole run: counts summed, top keys and samples re-ranked, diagnoses combined per cause and
 * evidence tier, the verdict recomputed. Throws an InputError for results of different runs,
 * a shard missing or given twice, and for shards that together compared nothing.
 */
export async function merge(shards: readonly ShardResultInput[]): Promise<DiffResult> {
  if (shards.length === 0) throw new UsageError('merge needs the shard results to combine');
  return mergeResults(
    shards.map((shard, i) =>
      typeof shard === 'string'
        ? { file: shard, result: readShardResult(shard) }
        : { file: `shard result #${i + 1}`, result: shard },
    ),
  );
}
