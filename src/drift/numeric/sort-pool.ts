// Sorting and comparing columns on every core: worker threads that each run one task at a time
// (sort and summarise a side, walk two sorted sides; tasks.ts), the arrays handed over without
// copies. While the workers sort, the main thread reads the next columns from DuckDB. Small
// arrays, and runs from the TypeScript sources (tests), are done on the calling thread.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type NumericTask, runTask, taskBuffers, taskValues, type WalkedSides } from './tasks.js';
import type { NumericOptions, SideValues, SortedSide } from './types.js';

/** Below this many values a worker's start-up and hand-over cost more than the sort. */
const MIN_WORKER_VALUES = 1 << 16;

export interface SortPoolOptions {
  /** At most this many workers (default: the cores available). */
  threads?: number;
  /** The worker script (default: the compiled sort-worker.js beside this module). */
  script?: URL;
  /** Smaller arrays are sorted on the calling thread. */
  minWorkerValues?: number;
}

interface Task {
  id: number;
  task: NumericTask;
  resolve: (result: SortedSide | WalkedSides) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

export class SortPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private failure: unknown = null;

  private readonly threads: number;
  private readonly script: URL;
  private readonly minWorkerValues: number;

  constructor(options: SortPoolOptions = {}) {
    this.threads = options.threads ?? availableParallelism();
    this.script = options.script ?? new URL('./sort-worker.js', import.meta.url);
    this.minWorkerValues = options.minWorkerValues ?? MIN_WORKER_VALUES;
  }

  /** Sort a side's finite values ascending and summarise it (the side is handed over). */
  side(side: SideValues): Promise<SortedSide> {
    return this.submit({ kind: 'side', side }) as Promise<SortedSide>;
  }

  /** Walk two sorted sides (handed over, and back with the result). */
  walk(train: SideValues, prod: SideValues, options: NumericOptions): Promise<WalkedSides> {
    return this.submit({ kind: 'walk', train, prod, options }) as Promise<WalkedSides>;
  }

  private submit(task: NumericTask): Promise<SortedSide | WalkedSides> {
    if (
      taskValues(task) < this.minWorkerValues ||
      this.threads < 2 ||
      !existsSync(fileURLToPath(this.script))
    )
      return new Promise((resolve) => resolve(runTask(task)));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  /** Stop the workers (pending sorts are rejected). */
  async close(): Promise<void> {
    const closed = new Error('the sort pool was closed');
    const slots = this.slots.splice(0);
    const workers = slots.map((s) => s.worker);
    for (const slot of slots) slot.task?.reject(closed);
    for (const slot of slots) slot.task = null;
    for (const task of this.queue.splice(0)) task.reject(closed);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      if (this.failure) {
        for (const task of this.queue.splice(0)) task.reject(this.failure);
        return;
      }
      let slot = this.slots.find((s) => s.task === null);
      if (!slot && this.slots.length < this.threads) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.postMessage({ id: task.id, task: task.task }, taskBuffers(task.task));
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.script), task: null };
    slot.worker.on('message', (message: { id: number; result: SortedSide | WalkedSides }) => {
      const task = slot.task;
      slot.task = null;
      if (task && task.id === message.id) task.resolve(message.result);
      this.dispatch();
    });
    slot.worker.on('error', (error) => {
      this.failure = error;
      slot.task?.reject(error);
      slot.task = null;
      this.dispatch();
    });
    slot.worker.on('exit', (code) => {
      if (!slot.task) return;
      this.failure ??= new Error(`a sort worker exited (code ${code}) while sorting`);
      slot.task.reject(this.failure);
      slot.task = null;
      this.dispatch();
    });
    this.slots.push(slot);
    return slot;
  }
}
