// The main thread's side of the replay workers: spawns them with a heap ceiling, pipes their
// console output to stderr, watches each call into the module through the shared cursor, and
// turns every way a worker can end — a result, a throw, a hang, an out-of-memory, an exit — into
// a result or one clear error.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError, UsageError, UserCodeError } from '../errors.js';
import { type CursorSnapshot, readSharedCursor, SHARED_CURSOR_BYTES } from './cursor.js';
import type { ColumnBatch } from './event-reader.js';
import { transferables } from './event-shape.js';
import type { FromWorker, SerializedError, ToWorker, WorkerData } from './worker-protocol.js';

/** Batches sent to a worker and not yet taken: enough to keep it busy, few enough to bound memory. */
const BATCHES_IN_FLIGHT = 4;
/** Chunks of the log sent in one message. */
const CHUNKS_PER_MESSAGE = 4;

export interface Fence {
  /** Longest one call into the module (key, add, emit, …, or loading it) may run, ms. */
  callTimeoutMs: number;
  /** Heap ceiling of each worker, MiB. */
  memoryLimitMb: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
export const DEFAULT_MEMORY_LIMIT_MB = 4096;
const LOAD_BUDGET_MS = 30_000;

/** The worker script: built next to this file; from the TypeScript sources (tests), the built copy. */
function workerScript(): URL {
  const here = new URL('./replay-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../dist/replay/replay-worker.js', import.meta.url);
}

let transpiles: string | undefined;

/**
 * One folder per process where workers keep the module's transpiled code: a later worker for the
 * same file (the first-divergence bisection's, after the replay's) loads it without transpiling
 * again — about 0.2 s of CPU per worker. Keyed by the file's content; removed when the process exits.
 */
export function sharedTranspiles(): string {
  if (transpiles === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'skewcheck-transpiles-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    transpiles = dir;
  }
  return transpiles;
}

/** How a worker ended when it did not deliver its result. */
export type WorkerFailure =
  | { kind: 'failed'; error: SerializedError }
  | { kind: 'timeout'; at: CursorSnapshot }
  | { kind: 'memory'; at: CursorSnapshot }
  | { kind: 'exit'; code: number; at: CursorSnapshot }
  | { kind: 'crash'; error: Error; at: CursorSnapshot }
  | { kind: 'not-partitionable'; reason: string }
  /** Stopped by the main thread (another worker failed, or the run was abandoned). */
  | { kind: 'stopped' };

type Done = Extract<FromWorker, { type: 'done' }>;

export class ReplayWorker {
  private readonly worker: Worker;
  private readonly shared = new SharedArrayBuffer(SHARED_CURSOR_BYTES);
  private readonly watchdog: NodeJS.Timeout;
  private settled = false;
  /** The thread is gone (terminated or exited): no further run. */
  private dead = false;
  private resolveEnd!: (outcome: Done | WorkerFailure) => void;
  /** The current run's result, or how it failed. Never rejects. */
  ended!: Promise<Done | WorkerFailure>;
  onMessage: (message: FromWorker) => void = () => undefined;
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private pending: ColumnBatch[] = [];

  /** `transpileCache`: a worker for many runs, each with the module loaded afresh (see reload). */
  constructor(
    modulePath: string,
    private readonly fence: Fence,
    private readonly transpileCache?: string,
  ) {
    this.arm();
    const data: WorkerData = {
      modulePath,
      cursor: this.shared,
      transpileCache,
      transpiles: sharedTranspiles(),
    };
    this.worker = new Worker(workerScript(), {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: fence.memoryLimitMb },
      stdout: true,
      stderr: true,
    });
    // The module's console output goes to stderr: stdout may be carrying `--json -`.
    this.worker.stdout.pipe(process.stderr, { end: false });
    this.worker.stderr.pipe(process.stderr, { end: false });
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'ack') {
        this.inFlight--;
        this.wake?.();
      } else if (message.type === 'done') this.end(message);
      else if (message.type === 'failed') this.end({ kind: 'failed', error: message.error });
      else if (message.type === 'not-partitionable')
        this.end({ kind: 'not-partitionable', reason: message.reason });
      else this.onMessage(message);
    });
    this.worker.on('error', (error: Error & { code?: string }) => {
      const at = readSharedCursor(this.shared);
      this.end(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { kind: 'memory', at } : { kind: 'crash', error, at },
      );
    });
    this.worker.on('exit', (code) => {
      this.end({ kind: 'exit', code, at: readSharedCursor(this.shared) });
      this.dead = true;
      clearInterval(this.watchdog);
    });
    this.watchdog = this.watch();
  }

  /** Fires when one call into the module has run past the budget: the cursor's heartbeat stood still in a user phase. */
  private watch(): NodeJS.Timeout {
    let heartbeat = -1;
    let since = performance.now();
    const timer = setInterval(
      () => {
        const at = readSharedCursor(this.shared);
        const now = performance.now();
        if (at.heartbeat !== heartbeat || at.phase === 'harness') {
          heartbeat = at.heartbeat;
          since = now;
        } else if (now - since > this.budget(at.phase)) this.end({ kind: 'timeout', at });
      },
      Math.min(250, Math.max(20, this.fence.callTimeoutMs / 8)),
    );
    timer.unref();
    return timer;
  }

  /** Loading gets at least LOAD_BUDGET_MS: compiling TypeScript on a busy machine can take seconds. */
  private budget(phase: string): number {
    return phase === 'load' ? Math.max(this.fence.callTimeoutMs, LOAD_BUDGET_MS) : this.fence.callTimeoutMs;
  }

  private arm(): void {
    this.settled = false;
    this.inFlight = 0;
    this.pending = [];
    this.ended = new Promise((resolve) => {
      this.resolveEnd = resolve;
    });
  }

  private end(outcome: Done | WorkerFailure): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveEnd(outcome);
    this.wake?.();
    // A worker for many runs stays for the next one after a result; after anything else it goes.
    if (!this.transpileCache || isFailure(outcome)) this.kill();
  }

  private kill(): void {
    if (this.dead) return;
    this.dead = true;
    clearInterval(this.watchdog);
    // A module's timers or open handles must not outlive its result.
    void this.worker.terminate();
  }

  /** Whether the worker can run again (a worker for many runs, after a result). */
  get alive(): boolean {
    return !this.dead;
  }

  /** A worker for many runs: load the module afresh; `onMessage` then sees `loaded`, as at start. */
  reload(): void {
    if (this.dead || !this.transpileCache) throw new Error('this replay worker cannot run again');
    this.arm();
    this.worker.postMessage({ type: 'reload' } satisfies ToWorker);
  }

  post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /** Queues one batch of the log, sent with the next few once the worker has room; false when it has ended. */
  async send(batch: ColumnBatch): Promise<boolean> {
    if (this.settled) return false;
    this.pending.push(batch);
    return this.pending.length < CHUNKS_PER_MESSAGE || this.flush();
  }

  /** Sends the queued batches, then the end of the log; false when the worker has ended. */
  async finish(): Promise<boolean> {
    if (!(await this.flush())) return false;
    this.post({ type: 'end' });
    return true;
  }

  private async flush(): Promise<boolean> {
    while (this.inFlight >= BATCHES_IN_FLIGHT && !this.settled) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    if (this.settled) return false;
    const parts = this.pending.splice(0);
    if (parts.length === 0) return true;
    this.inFlight++;
    const transfer = parts.flatMap((p) => [p.times.buffer as ArrayBuffer, ...transferables(p.columns)]);
    this.worker.postMessage({ type: 'batch', parts } satisfies ToWorker, transfer);
    return true;
  }

  /** Stop the worker (its outcome, if still pending, becomes `stopped`). */
  stop(): void {
    this.end({ kind: 'stopped' });
    this.kill();
  }
}

export function isFailure(outcome: Done | WorkerFailure): outcome is WorkerFailure {
  return !('type' in outcome);
}

/** A typed error thrown in the worker, rebuilt as the same class. */
export function rebuildError(error: SerializedError): Error {
  if (error.name === 'UserCodeError' && error.where) return new UserCodeError(error.message, error.where);
  if (error.name === 'InputError') {
    return new InputError(error.message, { file: error.file, column: error.column, line: error.line });
  }
  if (error.name === 'UsageError') return new UsageError(error.message);
  const rebuilt = new Error(error.message);
  rebuilt.stack = error.stack;
  return rebuilt;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The message for a worker that ended without a result; `event` names the event it was on, when known. */
export function failureMessage(
  failure: Exclude<WorkerFailure, { kind: 'failed' | 'not-partitionable' | 'stopped' }>,
  fence: Fence,
): string {
  const { phase } = failure.at;
  const inCall = phase === 'load' ? 'while loading' : `in ${phase}()`;
  switch (failure.kind) {
    case 'timeout':
      return phase === 'load'
        ? `did not finish loading within ${seconds(Math.max(fence.callTimeoutMs, LOAD_BUDGET_MS))}: a top-level await that never settles, or an endless loop at top level?`
        : `${phase}() did not return within ${seconds(fence.callTimeoutMs)} (--timeout): an endless loop, or a call far slower than expected?`;
    case 'memory':
      return `ran out of memory ${inCall}: the replay worker's heap passed its ceiling of ${fence.memoryLimitMb} MiB (--memory-limit). Accumulators and per-key state must fit in memory; a window kind that opens very many windows per event, or state that is never cleared, grows without bound`;
    case 'crash':
      return `threw outside any call of the harness ${inCall === 'while loading' ? 'while loading' : `(last call: ${phase}())`}: ${failure.error.message}`;
    case 'exit':
      return phase === 'load'
        ? 'did not finish loading: its top-level code awaits a promise that never settles'
        : `ended the replay worker ${inCall} (exit code ${failure.code}) before the replay finished`;
  }
}
