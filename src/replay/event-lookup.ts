// Finds an event by its position in replay order (of the whole log, or of one partition's share),
// to name the event a module was processing when its worker hung, ran out of memory or exited.
import { quoteIdent, type Session, type Source } from '../io/index.js';
import type { StreamEvent } from './contract.js';
import type { ReplayOrder } from './replay-run.js';
import type { Partition } from './worker-protocol.js';

/** SQL: the partition an event of `src` belongs to (its key columns' hash, modulo the count). */
export function partitionOf(keyColumns: readonly string[], count: number): string {
  return `hash(${keyColumns.map((k) => `src.${quoteIdent(k)}`).join(', ')}) % ${count}`;
}

export interface LocatedEvent {
  /** 1-based position in replay order of the whole log. */
  position: number;
  event: StreamEvent;
}

/** The event at 1-based `position` of a partition's replay order (or of the whole log), if any. */
export async function locateEvent(
  session: Session,
  source: Source,
  replay: { timeColumn: string; keyColumns: readonly string[]; order: ReplayOrder; partition?: Partition },
  position: number,
): Promise<LocatedEvent | undefined> {
  if (!Number.isSafeInteger(position) || position < 1) return undefined;
  const time = `src.${quoteIdent(replay.timeColumn)}`;
  const first = replay.order.kind === 'arrival' ? `${replay.order.expression}, ${time}` : time;
  const order = [first, ...source.columns.map((c) => `src.${quoteIdent(c.name)}`)].join(', ');
  const { partition } = replay;
  const local = partition
    ? `row_number() OVER (PARTITION BY ${partitionOf(replay.keyColumns, partition.count)} ORDER BY ${order})`
    : `row_number() OVER (ORDER BY ${order})`;
  const rows = await session.rows(
    `SELECT * EXCLUDE (__local) FROM (
       SELECT src.*, row_number() OVER (ORDER BY ${order}) AS __position, ${local} AS __local
         ${partition ? `, ${partitionOf(replay.keyColumns, partition.count)} AS __partition` : ''}
       FROM ${quoteIdent(source.name)} AS src WHERE ${time} IS NOT NULL)
     WHERE __local = ${position} ${partition ? `AND __partition = ${partition.index}` : ''}`,
  );
  const row = rows[0];
  if (!row) return undefined;
  const { __position, __partition: _p, ...event } = row;
  return { position: Number(__position), event };
}
