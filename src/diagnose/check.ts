// What a check (one known cause of skew) sees and returns. Checks run one after another in
// precedence order (see index.ts); each one looks only at the differing rows that no earlier
// check explained, and names the rows it explains in a table of row ids.
import type { JoinedRows, JsonValue } from '../diff/index.js';
import type { ColumnInfo, Session } from '../io/index.js';
import type { WindowSpec } from '../replay/index.js';

export type DiagnosisCode =
  | 'late_data'
  | 'duplicate_events'
  | 'key_normalisation'
  | 'time_shift'
  | 'window_boundary'
  | 'null_handling'
  | 'definition_difference'
  | 'float_accumulation'
  | 'unexplained';

export type Evidence = Record<string, JsonValue | JsonValue[] | Record<string, JsonValue>>;

/** The event log both sides were computed from (replay only). */
export interface LogContext {
  /** The view or table holding the log (`events`). */
  relation: string;
  timeColumn: string;
  columns: ColumnInfo[];
  types: ReadonlyMap<string, string>;
  /** The streaming feature's window, when the module declared one. */
  window?: WindowSpec;
  /** The column identifying an event, when the user named one. */
  eventIdColumn?: string;
  /** The table of events the stream dropped as late, when it exists. */
  lateEventsTable?: string;
}

export interface CheckContext {
  session: Session;
  joined: JoinedRows;
  /** Column types of the joined table. */
  joinedTypes: ReadonlyMap<string, string>;
  /**
   * Every differing row of the diff, with `__row` (a stable id), `__status`, the align columns,
   * the feature columns of `joined.features`, and `__ws`/`__we`: the window's bounds as
   * TIMESTAMPs (NULL when unknown).
   */
  rows: string;
  /** The same rows, minus those an earlier check explained. */
  remaining: string;
  /** Whether `__ws`/`__we` are known (timestamp window columns and a window end). */
  windowBounds: boolean;
  log?: LogContext;
  labels: { left: string; right: string };
  /** A fresh name for a temporary table or view; everything so named is dropped at the end. */
  temp(name: string): string;
}

export interface Finding {
  /** A table or view with a column `__row`: the remaining differing rows this cause explains. */
  rows: string;
  message: string;
  evidence: Evidence;
}

export interface Check {
  code: DiagnosisCode;
  run(context: CheckContext): Promise<Finding | undefined>;
}

/** Align columns of the joined table: keys, then window columns. */
export function alignColumns(context: CheckContext): string[] {
  return [...context.joined.keyColumns, ...context.joined.timeColumns];
}
