// Collects what the replay workers emit into DuckDB: decides the column types for all workers at
// once (from the first rows each one emitted), appends each worker's chunks to a raw table of its
// own, and exposes them, in worker order, as one output view. Also merges the workers' counters.
import { UserCodeError } from '../errors.js';
import type { Session } from '../io/index.js';
import { createRowView, RawRowTable } from './chunk-table.js';
import type { HarnessStats } from './replay-run.js';
import type { RowChunk, ValueFamily } from './row-sink.js';
import type { FamiliesReply, FromWorker } from './worker-protocol.js';

type Proposal = Extract<FromWorker, { type: 'families' }>;
type Done = Extract<FromWorker, { type: 'done' }>;

export class WorkerRows {
  private readonly proposals: (Proposal | undefined)[];
  private readonly replies: ((reply: FamiliesReply) => void)[] = [];
  private tables: RawRowTable[] = [];
  private names: string[] = [];
  private deciding: Promise<void> | undefined;

  constructor(
    private readonly session: Session,
    private readonly table: string,
    private readonly keyCount: number,
    private readonly modulePath: string,
    workers: number,
  ) {
    this.proposals = new Array<Proposal | undefined>(workers).fill(undefined);
  }

  private rawName(worker: number): string {
    return this.proposals.length === 1 ? `${this.table}__raw` : `${this.table}__raw_${worker}`;
  }

  /** A worker's first rows fixed its columns; once every worker has said so, decide for all. */
  async propose(worker: number, proposal: Proposal, reply: (message: FamiliesReply) => void): Promise<void> {
    this.proposals[worker] = proposal;
    this.replies[worker] = reply;
    if (this.proposals.some((p) => p === undefined)) return;
    this.deciding ??= this.decide();
    await this.deciding;
  }

  private async decide(): Promise<void> {
    const proposals = this.proposals as Proposal[];
    const chosen = proposals.find((p) => p.names.length > this.keyCount) ?? proposals[0]!;
    this.names = chosen.names;
    for (const p of proposals) {
      if (p.rows > 0 && p.names.join('\u0000') !== chosen.names.join('\u0000')) {
        throw new UserCodeError(
          `emitted rows with the features ${p.names.slice(this.keyCount).join(', ')} for some keys and ${chosen.names.slice(this.keyCount).join(', ')} for others; every emitted row must have the same features`,
          { module: this.modulePath },
        );
      }
    }
    // A column's family is that of its first non-null value; a column null so far is a DOUBLE.
    const families: ValueFamily[] = chosen.names.map(
      (_, c) =>
        proposals.find((p) => p.names.length === chosen.names.length && p.families[c])?.families[c] ??
        'double',
    );
    for (let w = 0; w < proposals.length; w++) {
      this.tables.push(await RawRowTable.create(this.session, this.rawName(w), this.names, families));
    }
    proposals.forEach((p, w) => {
      this.replies[w]!({ type: 'families', families: families.slice(0, p.names.length) });
    });
  }

  append(worker: number, message: { chunks: RowChunk[] }): void {
    for (const chunk of message.chunks) this.tables[worker]!.append(chunk);
  }

  /** Close the raw tables and create the output view over them, in worker order. */
  async finish(): Promise<void> {
    for (const table of this.tables) table.close();
    const raws = this.proposals.map((_, w) => this.rawName(w));
    await createRowView(
      this.session,
      this.table,
      raws,
      this.names.slice(0, this.keyCount),
      this.names.slice(this.keyCount),
    );
  }

  close(): void {
    for (const table of this.tables) {
      try {
        table.close();
      } catch {
        // already closed
      }
    }
  }
}

/** The counters of a run split across workers, as one run would have counted them. */
export function mergeStats(results: readonly Done[]): HarnessStats {
  const sum = (pick: (d: Done) => number) => results.reduce((total, d) => total + pick(d), 0);
  const late = results.flatMap((d) => d.stats.late_windows);
  return {
    events: sum((d) => d.stats.events),
    rows_emitted: sum((d) => d.stats.rows_emitted),
    windows_opened: sum((d) => d.stats.windows_opened),
    max_open_windows:
      results.length === 1
        ? results[0]!.stats.max_open_windows
        : maxOpenWindows(results.map((d) => d.windowTimes!)),
    late_events: sum((d) => d.stats.late_events),
    late_windows: late,
  };
}

function sorted(values: Float64Array): Float64Array {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return values.slice().sort();
  return values;
}

/**
 * The most windows open at once in a single-threaded event-time replay of all partitions: after
 * the events at time T, the windows opened up to T minus those due by T (the first event at T
 * fires every window due by then, from any partition). Its maximum is reached at an open time.
 */
export function maxOpenWindows(partitions: readonly { opens: Float64Array; dues: Float64Array }[]): number {
  const opens = partitions.map((p) => sorted(p.opens)).reduce(mergeSorted);
  const dues = partitions.map((p) => sorted(p.dues)).reduce(mergeSorted);
  let best = 0;
  let fired = 0;
  for (let i = 0; i < opens.length; ) {
    const t = opens[i]!;
    while (i < opens.length && opens[i] === t) i++;
    while (fired < dues.length && dues[fired]! <= t) fired++;
    if (i - fired > best) best = i - fired;
  }
  return best;
}

function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
