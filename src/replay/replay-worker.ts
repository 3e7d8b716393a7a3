// A replay worker: loads the user's module and replays the events the main thread sends it (the
// whole log, or one key-hash share of it), sending emitted rows back in chunks. No DuckDB here:
// a worker can be stopped at any moment. Running user code here lets the main thread watch it:
// a call that never returns, a heap that grows without bound, a process.exit() or a console.log
// cannot take the CLI down with them.
import { parentPort, type TransferListItem, workerData } from 'node:worker_threads';
import { isSkewcheckError, UserCodeError } from '../errors.js';
import { Cursor } from './cursor.js';
import { type EventBatch, eventFactory, eventsOf } from './event-shape.js';
import { NotPartitionable } from './feature-replay.js';
import { type LoadedModule, loadStreamingModule, moduleReloader } from './module-loader.js';
import { replayModule } from './module-replay.js';
import type { ChunkTarget, RowChunk, ValueFamily } from './row-sink.js';
import type {
  BatchMessage,
  FamiliesReply,
  FromWorker,
  SerializedError,
  StartMessage,
  ToWorker,
  WorkerData,
} from './worker-protocol.js';

const port = parentPort!;
const data = workerData as WorkerData;
const post = (message: FromWorker, transfer: TransferListItem[] = []) => port.postMessage(message, transfer);

function serialize(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const out: SerializedError = { name: error.name, message: error.message, stack: error.stack };
  if (isSkewcheckError(error)) {
    if (error instanceof UserCodeError) out.where = error.where;
    else if ('file' in error)
      Object.assign(out, { file: error.file, column: error.column, line: error.line });
  }
  return out;
}

const waiting = new Map<string, (message: ToWorker) => void>();
const batches: (BatchMessage | null)[] = [];
let wakeReader: (() => void) | undefined;

function listen(): void {
  port.on('message', (message: ToWorker) => {
    if (message.type === 'batch' || message.type === 'end') {
      batches.push(message.type === 'batch' ? message : null);
      wakeReader?.();
      return;
    }
    const resolve = waiting.get(message.type);
    waiting.delete(message.type);
    resolve?.(message);
  });
}

function next<T extends ToWorker>(type: T['type']): Promise<T> {
  return new Promise((resolve) => waiting.set(type, resolve as (message: ToWorker) => void));
}

/** The batches the main thread sends, as events; each is acknowledged once taken. */
async function* receiveBatches(start: StartMessage): AsyncGenerator<EventBatch> {
  const build = { makeRow: eventFactory(start.shape), scratch: [] };
  for (;;) {
    if (batches.length === 0) await new Promise<void>((resolve) => (wakeReader = resolve));
    const batch = batches.shift();
    if (batch === undefined) continue;
    if (batch === null) return;
    post({ type: 'ack' });
    for (const { n, columns, times } of batch.parts) {
      yield { events: eventsOf(columns, n, start.shape, build), times, length: n };
    }
  }
}

/** Chunks of emitted rows sent in one message. */
const CHUNKS_PER_MESSAGE = 4;

/** Rows go to the main thread; the column families are decided there, for every worker at once. */
class PostingTarget implements ChunkTarget {
  private chunks: RowChunk[] = [];
  private transfer: TransferListItem[] = [];

  async open(names: readonly string[], families: readonly (ValueFamily | undefined)[], rows: number) {
    const reply = next<FamiliesReply>('families');
    post({ type: 'families', names: [...names], families: [...families], rows });
    return (await reply).families;
  }

  write(chunk: RowChunk): void {
    const n = chunk.n;
    const copy = <A extends Float64Array | Uint8Array>(array: A): A => {
      const out = array.slice(0, n) as A;
      this.transfer.push(out.buffer as ArrayBuffer);
      return out;
    };
    const columns = chunk.columns.map((c) =>
      c.numbers
        ? { family: c.family, numbers: copy(c.numbers), nulls: copy(c.nulls!) }
        : { family: c.family, values: c.values!.slice(0, n) },
    );
    this.chunks.push({ n, starts: copy(chunk.starts), ends: copy(chunk.ends), columns });
    if (this.chunks.length >= CHUNKS_PER_MESSAGE) this.flush();
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    post({ type: 'rows', chunks: this.chunks }, this.transfer);
    this.chunks = [];
    this.transfer = [];
  }

  async close(): Promise<void> {
    this.flush();
  }
}

class ProcessExitCalled extends Error {
  override name = 'ProcessExitCalled';
}

async function main(): Promise<void> {
  // An exit from the module would end the run without a verdict: make it a throw that names the call.
  process.exit = ((code?: number | string | null) => {
    throw new ProcessExitCalled(
      `called process.exit(${code ?? ''}); a streaming module must not end the process`,
    );
  }) as typeof process.exit;
  const cursor = new Cursor(data.cursor);
  const load = data.transpileCache
    ? moduleReloader(data.transpileCache)
    : (path: string) => loadStreamingModule(path, data.transpiles);
  for (let first = true; ; first = false) {
    cursor.phase = 'load';
    const module = await load(data.modulePath);
    cursor.phase = 'harness';
    // Listen only now: an open port keeps a worker alive, and a module whose top-level await never
    // settles must let the worker end (the main thread reports it).
    if (first) listen();
    await replayOnce(module, cursor);
    if (!data.transpileCache) return;
    // A worker for many replays: the next one starts with the module loaded afresh.
    await next('reload');
  }
}

async function replayOnce(module: LoadedModule, cursor: Cursor): Promise<void> {
  const started = next<StartMessage>('start');
  post({
    type: 'loaded',
    kind: module.kind,
    window: module.kind === 'feature' ? module.feature.window : undefined,
  });
  const start = await started;
  let reported = 0;
  let lastReport = 0;
  cursor.clear();
  const run = await replayModule(
    module,
    { batches: receiveBatches(start), target: new PostingTarget(), keyFamilies: start.keyFamilies },
    {
      keyColumns: start.keyColumns,
      timeColumn: start.timeColumn,
      order: start.order,
      allowedLatenessMs: start.allowedLatenessMs,
      partition: start.partition,
      cursor,
      onProgress: (events) => {
        const now = performance.now();
        if (now - lastReport < 100) return;
        lastReport = now;
        post({ type: 'progress', events: events - reported });
        reported = events;
      },
    },
  );
  post({ type: 'progress', events: run.stats.events - reported });
  const times = run.windowTimes;
  post(
    { type: 'done', stats: run.stats, lateRows: run.lateRows, windowTimes: times },
    times ? [times.opens.buffer as ArrayBuffer, times.dues.buffer as ArrayBuffer] : [],
  );
}

main().catch((error: unknown) => {
  if (error instanceof NotPartitionable) post({ type: 'not-partitionable', reason: error.message });
  else post({ type: 'failed', error: serialize(error) });
});
