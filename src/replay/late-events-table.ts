// The events the stream dropped as late, as a DuckDB table for the diagnosis and the report.
import { BIGINT, BOOLEAN, DOUBLE, TIMESTAMP, VARCHAR } from '../io/duckdb.js';
import type { Session, Source } from '../io/index.js';
import { TableWriter } from '../io/index.js';
import type { LateEvents } from './late-events.js';
import { familyOfSqlType } from './row-sink.js';

export const LATE_EVENTS_TABLE = '__skewcheck_late_events';

function duckdbTypeOf(sqlType: string) {
  const family = familyOfSqlType(sqlType);
  return family === 'double'
    ? DOUBLE
    : family === 'bigint'
      ? BIGINT
      : family === 'boolean'
        ? BOOLEAN
        : family === 'timestamp'
          ? TIMESTAMP
          : VARCHAR;
}

/** The dropped events as a table: the log's columns, the key columns, and `__window_start`. */
export async function writeLateEvents(
  session: Session,
  source: Source,
  keyColumnNames: readonly string[],
  rows: LateEvents['rows'],
): Promise<string> {
  const columns = source.columns.map((c) => ({ name: c.name, type: duckdbTypeOf(c.type) }));
  const keyColumns = keyColumnNames
    .filter((k) => !source.columns.some((c) => c.name === k))
    .map((name) => ({ name, type: VARCHAR }));
  const writer = await TableWriter.create(session, LATE_EVENTS_TABLE, [
    ...columns,
    ...keyColumns,
    { name: '__window_start', type: TIMESTAMP },
  ]);
  const text = (v: unknown) =>
    v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);
  try {
    for (const row of rows) {
      const values: unknown[] = columns.map((c) => {
        const v = row.event[c.name];
        if (c.type === VARCHAR) return text(v);
        if (c.type === BIGINT && typeof v === 'number') return BigInt(Math.trunc(v));
        return v ?? null;
      });
      for (const k of keyColumns) values.push(text(row.parts[keyColumnNames.indexOf(k.name)]));
      values.push(new Date(row.windowStart));
      writer.append(values);
    }
  } finally {
    writer.close();
  }
  return LATE_EVENTS_TABLE;
}
