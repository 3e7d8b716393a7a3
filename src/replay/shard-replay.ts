// A replay of one shard of the keys (`--shard i/N`): which replays may be sharded, the event log
// cut to the shard (in this session and in the batch SQL's sandbox), and what the result records.
import { DEFAULT_TOP_KEYS, type DiffResult } from '../diff/index.js';
import { UsageError } from '../errors.js';
import type { Session, Source } from '../io/index.js';
import {
  codeInput,
  describeShard,
  restrictToShard,
  type ShardInfo,
  type ShardInput,
  type ShardSpec,
  shardPredicate,
} from '../shard/index.js';

interface ShardedReplay {
  shard?: ShardSpec;
  keyColumns: string[];
  arrivalColumn?: string;
  simulateDelay?: unknown;
  streamModulePath: string;
  batchSqlPath: string;
  sampleSize?: number;
}

/** --shard splits the log by key: exact only when every output row depends on one key's events. */
export function checkShardable(options: ShardedReplay, kind: 'feature' | 'processor'): void {
  if (!options.shard) return;
  if (options.arrivalColumn || options.simulateDelay) {
    throw new UsageError(
      '--shard cannot be combined with arrival-order replay (--arrival-column, --simulate-delay): the watermark advances with the events of every key, so a shard holding some of the keys would drop other events as late',
    );
  }
  if (kind === 'processor') {
    throw new UsageError(
      `--shard needs a keyed module: ${options.streamModulePath} is a defineStreamProcessor, which sees every event and may combine keys, so a shard of the keys could change its rows; use defineStreamingFeature, or run without --shard`,
    );
  }
}

/** The event log cut to the shard's keys (the view keeps its name), and the whole log's description. */
export async function shardEventLog(
  session: Session,
  source: Source,
  options: ShardedReplay,
): Promise<{ source: Source; input?: ShardInput }> {
  if (!options.shard) return { source };
  return restrictToShard(session, source, options.keyColumns, options.shard, 'event log');
}

/** The predicate the batch SQL's copy of the events is cut by (undefined: not sharded). */
export function sandboxShardFilter(options: ShardedReplay): string | undefined {
  return options.shard ? shardPredicate(options.keyColumns, options.shard) : undefined;
}

/** What a sharded replay records about itself (`result.shard`). */
export async function describeReplayShard(
  session: Session,
  options: ShardedReplay & { shard: ShardSpec },
  run: { events: ShardInput; tables: [string, string]; result: DiffResult },
): Promise<ShardInfo> {
  const { result } = run;
  return describeShard(session, options.shard, {
    inputs: [
      run.events,
      codeInput('batch SQL', options.batchSqlPath),
      codeInput('streaming module', options.streamModulePath),
    ],
    sampleSize: options.sampleSize ?? 20,
    topKeys: DEFAULT_TOP_KEYS,
    tables: run.tables,
    alignColumns: [...result.keys, ...result.time_columns],
    timelineColumn: result.plots?.timeline?.column ?? null,
    empty: result.summary.windows === 0 && result.summary.duplicates === 0,
  });
}
