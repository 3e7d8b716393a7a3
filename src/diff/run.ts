// `diff`: the diff engine on two precomputed outputs (Parquet/CSV/JSON/Arrow dumps).
import { type Format, registerSource, type Session, withSession } from '../io/index.js';
import { describeShard, restrictToShard, type ShardInput, type ShardSpec } from '../shard/index.js';
import { DEFAULT_TOP_KEYS, type DiffOptions, diffTables } from './engine.js';
import type { DiffResult } from './types.js';

/**
 * The engine's settings, with two files in place of two registered tables. `inspect` (e.g. the
 * diagnosis) is supplied by the caller: the diff layer does not import the layers above it.
 */
export type DiffFilesOptions = Omit<DiffOptions, 'command' | 'left' | 'right' | 'shardOf'> & {
  leftPath: string;
  rightPath: string;
  format?: Format;
  /** Keep only the keys of this shard (`--shard i/N`). */
  shard?: ShardSpec;
};

const LEFT = '__skewcheck_left';
const RIGHT = '__skewcheck_right';

export async function diffFiles(options: DiffFilesOptions): Promise<DiffResult> {
  const { leftPath: _left, rightPath: _right, format: _format, shard, ...settings } = options;
  return withSession(async (session) => {
    const left = await registerSource(session, LEFT, options.leftPath, {
      format: options.format,
      what: '--left',
    });
    const right = await registerSource(session, RIGHT, options.rightPath, {
      format: options.format,
      what: '--right',
    });
    const inputs = shard
      ? [
          (await restrictToShard(session, left, options.keyColumns, shard, '--left')).input,
          (await restrictToShard(session, right, options.keyColumns, shard, '--right')).input,
        ]
      : [];
    const result = await diffTables(session, {
      command: 'diff',
      left: { table: LEFT, label: 'left', source: options.leftPath, describe: `--left ${options.leftPath}` },
      right: {
        table: RIGHT,
        label: 'right',
        source: options.rightPath,
        describe: `--right ${options.rightPath}`,
      },
      ...settings,
      // Nothing in a shard of non-empty files is an empty shard; both files empty stays an error.
      shardOf: shard ? { inputRows: inputs.reduce((n, input) => n + (input.rows ?? 0), 0) } : undefined,
    });
    if (shard) result.shard = await describeDiffShard(session, { ...options, shard }, result, inputs);
    return result;
  });
}

async function describeDiffShard(
  session: Session,
  options: DiffFilesOptions & { shard: ShardSpec },
  result: DiffResult,
  inputs: ShardInput[],
) {
  return describeShard(session, options.shard, {
    inputs,
    sampleSize: options.sampleSize ?? 20,
    topKeys: options.topKeys ?? DEFAULT_TOP_KEYS,
    tables: [LEFT, RIGHT],
    alignColumns: [...result.keys, ...result.time_columns],
    timelineColumn: result.plots?.timeline?.column ?? null,
    empty: result.summary.windows === 0 && result.summary.duplicates === 0,
  });
}
