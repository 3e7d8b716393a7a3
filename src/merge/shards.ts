// Which shard results may be merged: one result per shard of one sharded run — same command,
// inputs, keys, settings and features — with no shard missing or given twice. Anything else
// is refused with a message naming the files.
import type { DiffResult } from '../diff/index.js';
import { InputError, UsageError } from '../errors.js';
import { SHARD_HASH, type ShardInfo } from '../shard/index.js';

export interface ShardResult {
  /** Where the result was read from (named in messages). */
  file: string;
  result: DiffResult;
}

export type CheckedShard = ShardResult & { shard: ShardInfo };

/** What must be equal in every shard of one run, as comparable text, by what it is called. */
function runIdentity(result: DiffResult, shard: ShardInfo): [what: string, value: string | null][] {
  const features = result.features.map((f) => [f.name, f.status, f.left_type, f.right_type, f.tolerance]);
  return [
    ['the command', result.command],
    ['the number of shards', String(shard.count)],
    ['the key hash', shard.hash],
    ['the inputs', JSON.stringify(shard.inputs)],
    [
      'the sides',
      JSON.stringify([
        result.sides.left.label,
        result.sides.left.source,
        result.sides.right.label,
        result.sides.right.source,
      ]),
    ],
    ['the key columns', JSON.stringify(result.keys)],
    ['the window columns', JSON.stringify(result.time_columns)],
    ['the tolerances', JSON.stringify(result.tolerance)],
    ['--max-mismatch-rate', String(result.max_mismatch_rate)],
    ['--sample', String(shard.sample_size)],
    // An empty shard lists no features (it has no rows to tell them by).
    ['the features', shard.empty ? null : JSON.stringify(features)],
    ['the replay order', JSON.stringify(result.replay?.order ?? null)],
    ['the module kind', result.replay?.module_kind ?? 'none'],
  ];
}

/** Check that `results` are every shard of one run, once each; returns them in shard order. */
export function checkShards(results: readonly ShardResult[]): CheckedShard[] {
  if (results.length === 0) throw new UsageError('merge needs the shard results to combine');
  const checked = results.map(({ file, result }) => {
    const shard = result.shard;
    if (!shard) {
      throw new InputError(
        `${file} is not the result of a sharded run (it has no "shard" field): merge combines the results of runs with --shard i/N`,
        { file },
      );
    }
    if (shard.hash !== SHARD_HASH) {
      throw new InputError(
        `${file} was sharded by "${shard.hash}", which this skewcheck does not know (it shards by "${SHARD_HASH}"): merge results made by one skewcheck version`,
        { file },
      );
    }
    return { file, result, shard };
  });
  const first = checked[0]!;
  refuseOtherRuns(checked);
  const count = first.shard.count;
  const byIndex = new Map<number, CheckedShard>();
  for (const shard of checked) {
    const seen = byIndex.get(shard.shard.index);
    if (seen) {
      throw new InputError(
        `${seen.file} and ${shard.file} are both shard ${shard.shard.index}/${count}: give each shard once`,
        { file: shard.file },
      );
    }
    byIndex.set(shard.shard.index, shard);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const listed = missing.slice(0, 10).map((i) => `${i}/${count}`);
    throw new InputError(
      `shard${missing.length > 1 ? 's' : ''} ${listed.join(', ')}${missing.length > 10 ? ', …' : ''} of the run ${missing.length > 1 ? 'are' : 'is'} missing (got ${checked.length} of ${count}): a merge of some shards would be a verdict on some of the keys`,
      { file: first.file },
    );
  }
  return [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
}

/** Every shard must agree with the first shard that says something about each part of the run. */
function refuseOtherRuns(checked: readonly CheckedShard[]): void {
  const identities = checked.map((c) => runIdentity(c.result, c.shard));
  identities[0]!.forEach(([what], i) => {
    const reference = checked.findIndex((_, j) => identities[j]![i]![1] !== null);
    if (reference < 0) return;
    const a = identities[reference]![i]![1]!;
    const other = checked.findIndex((_, j) => identities[j]![i]![1] !== null && identities[j]![i]![1] !== a);
    if (other < 0) return;
    const b = identities[other]![i]![1]!;
    throw new InputError(
      `${checked[reference]!.file} and ${checked[other]!.file} are not shards of one run: ${what} differ (${clip(a)} vs ${clip(b)}); merge only the shard results of one sharded run`,
      { file: checked[other]!.file },
    );
  });
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
