// Runs the streaming replay in worker threads: one worker, or one per key-hash partition for a
// keyed feature in event-time order (each replays its share of the keys; windows never span
// keys, so the union of their rows is what one thread would emit). Hands back the merged
// counters, or the error one thread would have reported first.
import { UsageError, UserCodeError } from '../errors.js';
import type { Session, Source } from '../io/index.js';
import { type LocatedEvent, locateEvent, partitionOf } from './event-lookup.js';
import { createDictionaries, type Dictionaries, dropDictionaries, eventShape } from './event-reader.js';
import { keyFamilies } from './harness.js';
import type { LateEvents } from './late-events.js';
import { readEventColumns, type StoredOrder, storedOrder } from './replay-order.js';
import type { HarnessStats } from './replay-run.js';
import {
  type Fence,
  failureMessage,
  isFailure,
  ReplayWorker,
  rebuildError,
  type WorkerFailure,
} from './replay-workers.js';
import { assignerFor } from './window-kinds/registry.js';
import type { WindowSpec } from './windows.js';
import type { FromWorker, StartMessage } from './worker-protocol.js';
import { mergeStats, WorkerRows } from './worker-rows.js';

/** More windows per event than this is refused before the replay starts. */
export const MAX_WINDOWS_PER_EVENT = 10_000;

export interface LoadedModuleInfo {
  kind: 'feature' | 'processor';
  path: string;
  window?: WindowSpec;
}

export interface WorkerReplay {
  session: Session;
  source: Source;
  start: Omit<StartMessage, 'type' | 'partition' | 'shape' | 'keyFamilies'>;
  outputTable: string;
  /** Split the keys across all workers (a keyed feature in event-time order). */
  partitioned: boolean;
  onProgress?: (eventsDone: number) => void;
}

type Done = Extract<FromWorker, { type: 'done' }>;

export class ReplayWorkers {
  private constructor(
    private readonly workers: ReplayWorker[],
    readonly module: LoadedModuleInfo,
    private readonly fence: Fence,
  ) {}

  /**
   * Spawns `count` workers and waits until each has loaded the module. With `transpileCache`,
   * one worker for many runs (`again`), each with a fresh instance of the module.
   */
  static async start(
    modulePath: string,
    count: number,
    fence: Fence,
    transpileCache?: string,
  ): Promise<ReplayWorkers> {
    const workers = Array.from({ length: count }, () => new ReplayWorker(modulePath, fence, transpileCache));
    const first = await loadedOn(workers, modulePath, fence);
    const pool = new ReplayWorkers(
      workers,
      { kind: first.kind, path: modulePath, window: first.window },
      fence,
    );
    pool.refuseRunawayWindows();
    return pool;
  }

  /** Adds workers (each loading the module) up to `count`. */
  async grow(count: number): Promise<void> {
    if (count <= this.workers.length) return;
    const added = Array.from(
      { length: count - this.workers.length },
      () => new ReplayWorker(this.module.path, this.fence),
    );
    await loadedOn(added, this.module.path, this.fence);
    this.workers.push(...added);
  }

  /** Whether `again` can run another replay on these workers. */
  get alive(): boolean {
    return this.workers.every((w) => w.alive);
  }

  /** Loads the module afresh on a worker for many runs, for the next `replay`. */
  async again(): Promise<void> {
    for (const worker of this.workers) worker.reload();
    await loadedOn(this.workers, this.module.path, this.fence);
  }

  /** hopping('30d', '1s') puts each event in 2.6M windows: refuse it before reading a row. */
  private refuseRunawayWindows(): void {
    const window = this.module.window;
    if (!window) return;
    const most = assignerFor(window).windowsPerEvent(window);
    if (most > MAX_WINDOWS_PER_EVENT) {
      this.stop();
      throw new UsageError(
        `the streaming module ${this.module.path} uses ${window.kind} windows that put each event in ${most.toLocaleString('en-US')} windows; at most ${MAX_WINDOWS_PER_EVENT.toLocaleString('en-US')} are supported (use a larger slide, or a smaller window)`,
      );
    }
  }

  get size(): number {
    return this.workers.length;
  }

  stop(): void {
    for (const worker of this.workers) worker.stop();
  }

  /**
   * Replays the log. Resolves with the counters, or `undefined` when the module's key is not
   * the event's key columns, so the keys cannot be split (the caller replays on one worker).
   */
  async replay(
    run: WorkerReplay,
  ): Promise<{ stats: HarnessStats; lateRows: LateEvents['rows'] } | undefined> {
    const used = run.partitioned ? this.workers : this.workers.slice(0, 1);
    for (const extra of this.workers.slice(used.length)) extra.stop();
    const count = used.length;
    const rows = new WorkerRows(
      run.session,
      run.outputTable,
      run.start.keyColumns.length,
      this.module.path,
      count,
    );
    let aborted: unknown;
    const abort = (error: unknown) => {
      aborted ??= error;
      this.stop();
    };
    let events = 0;
    const dictionaries = await createDictionaries(run.session, run.source);
    const stored =
      run.start.order.kind === 'event-time'
        ? await storedOrder(run.session, run.source, run.start.timeColumn)
        : undefined;
    const shape = eventShape(run.source, dictionaries);
    const families = keyFamilies(run.source, run.start.keyColumns);
    used.forEach((worker, index) => {
      worker.onMessage = (message) => {
        try {
          if (message.type === 'families') {
            rows.propose(index, message, (reply) => worker.post(reply)).catch(abort);
          } else if (message.type === 'rows') rows.append(index, message);
          else if (message.type === 'progress') {
            events += message.events;
            run.onProgress?.(events);
          }
        } catch (error) {
          abort(error);
        }
      };
      const partition = count > 1 ? { index, count } : undefined;
      worker.post({ type: 'start', ...run.start, shape, keyFamilies: families, partition });
      void worker.ended.then((outcome) => {
        // One worker failed (or met a key the partitions would split): the others may be waiting
        // for it to decide column types, so stop them all.
        if (isFailure(outcome)) this.stop();
      });
    });
    const feeding = used.map((worker, index) =>
      feed(run, worker, { index, count, stored }, dictionaries).catch(abort),
    );
    const outcomes = await Promise.all(used.map((w) => w.ended));
    await Promise.all(feeding);
    await dropDictionaries(run.session, dictionaries);
    if (aborted) {
      rows.close();
      throw aborted;
    }
    if (outcomes.some((o) => isFailure(o) && o.kind === 'not-partitionable')) {
      rows.close();
      return undefined;
    }
    const failures = outcomes.flatMap((o, index) =>
      isFailure(o) && o.kind !== 'stopped' ? [{ failure: o, index }] : [],
    );
    if (failures.length > 0) {
      rows.close();
      throw await this.firstError(run, failures, count);
    }
    if (outcomes.some(isFailure)) {
      rows.close();
      throw new Error('the replay workers were stopped before they finished');
    }
    await rows.finish();
    const results = outcomes as Done[];
    return { stats: mergeStats(results), lateRows: results.flatMap((d) => d.lateRows) };
  }

  /**
   * Of the failed workers (usually one: the others are stopped then), the error of the earliest
   * event in replay order of the whole log.
   */
  private async firstError(
    run: WorkerReplay,
    failures: { failure: WorkerFailure; index: number }[],
    count: number,
  ): Promise<Error> {
    const located = await Promise.all(
      failures.map(async ({ failure, index }) => {
        const local = localEventNumber(failure);
        const partition = count > 1 ? { index, count } : undefined;
        const at =
          local === undefined
            ? undefined
            : await locateEvent(run.session, run.source, { ...run.start, partition }, local).catch(
                () => undefined,
              );
        return {
          error: errorOf(failure, this.module.path, this.fence, at, run.start.keyColumns),
          position: at?.position ?? 0,
        };
      }),
    );
    located.sort((a, b) => a.position - b.position);
    return located[0]!.error;
  }
}

/** Waits until every worker has loaded the module; the first's answer, or the error of a failure. */
async function loadedOn(
  workers: ReplayWorker[],
  modulePath: string,
  fence: Fence,
): Promise<Extract<FromWorker, { type: 'loaded' }>> {
  const loaded = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<Extract<FromWorker, { type: 'loaded' }> | WorkerFailure>((resolve) => {
          worker.onMessage = (message) => {
            if (message.type === 'loaded') resolve(message);
          };
          void worker.ended.then((outcome) => {
            if (isFailure(outcome)) resolve(outcome);
          });
        }),
    ),
  );
  const failure = loaded.find((l): l is WorkerFailure => !('type' in l));
  if (failure) {
    for (const worker of workers) worker.stop();
    throw errorOf(failure, modulePath, fence, undefined);
  }
  return loaded[0] as Extract<FromWorker, { type: 'loaded' }>;
}

/** Reads the worker's share of the log in replay order and sends it, batch by batch, then the end. */
async function feed(
  run: WorkerReplay,
  worker: ReplayWorker,
  partition: { index: number; count: number; stored: StoredOrder | undefined },
  dictionaries: Dictionaries,
): Promise<void> {
  const { order, timeColumn, keyColumns } = run.start;
  const options = {
    timeColumn,
    stored: partition.stored,
    orderExpression: order.kind === 'arrival' ? order.expression : undefined,
    filter:
      partition.count > 1 ? `${partitionOf(keyColumns, partition.count)} = ${partition.index}` : undefined,
  };
  for await (const batch of readEventColumns(run.session, run.source, options, dictionaries)) {
    if (!(await worker.send(batch))) return;
  }
  await worker.finish();
}

function localEventNumber(failure: WorkerFailure): number | undefined {
  if (failure.kind === 'failed') return failure.error.where?.eventNumber;
  if (failure.kind === 'not-partitionable' || failure.kind === 'stopped') return undefined;
  return failure.at.eventNumber || undefined;
}

/** The error to report for a failed worker, placed at the event it was processing when known. */
function errorOf(
  failure: WorkerFailure,
  modulePath: string,
  fence: Fence,
  at: LocatedEvent | undefined,
  keyColumns: readonly string[] = [],
): Error {
  if (failure.kind === 'not-partitionable') return new Error(failure.reason);
  if (failure.kind === 'stopped') return new Error('a replay worker was stopped');
  if (failure.kind === 'failed') {
    const error = rebuildError(failure.error);
    if (error instanceof UserCodeError && at) {
      return new UserCodeError(error.message, { ...error.where, eventNumber: at.position });
    }
    return error;
  }
  const time = Number.isNaN(failure.at.time) ? undefined : new Date(failure.at.time);
  return new UserCodeError(failureMessage(failure, fence), {
    module: modulePath,
    eventNumber: at?.position ?? (failure.at.eventNumber || undefined),
    key: at ? Object.fromEntries(keyColumns.map((k) => [k, at.event[k]])) : undefined,
    time,
    event: at?.event,
  });
}
