// What a check (one known cause of skew) is, sees and returns. A cause is one file exporting one
// `defineCheck({...})` object, listed in registry.ts; checks run one after another in registry
// order, each looks only at the differing rows no earlier check explained, and names the rows it
// explains in a table of row ids.
import type { JoinedRows } from '../diff/engine.js';
import type { JsonValue } from '../diff/types.js';
import type { ColumnInfo, Session } from '../io/index.js';
import type { WindowSpec } from '../replay/windows.js';
import type { Tried } from './intervene.js';
import type { Intervention, Recompute } from './recompute.js';

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
  /** The batch SQL file (replay): enables recomputing under a hypothesis. */
  batchSqlPath?: string;
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
  /** The rows a check judges: every differing row (checks are independent; see attribute.ts). */
  remaining: string;
  /** Whether `__ws`/`__we` are known (timestamp window columns and a window end). */
  windowBounds: boolean;
  log?: LogContext;
  /** Re-runs the batch SQL under a hypothesis (replay with the SQL at hand, and SQL computed per key). */
  recompute?: Recompute;
  labels: { left: string; right: string };
  /** A fresh name for a temporary table or view; everything so named is dropped at the end. */
  temp(name: string): string;
  /** Every hypothesis the checks recomputed, with what it reproduced (for compositions of two). */
  tried?: Tried[];
}

export interface Finding {
  /**
   * `reproduced`: recomputing under the hypothesis made these rows agree within the run's
   * tolerances; `consistent`: the rows fit the signal, nothing was recomputed.
   */
  tier: 'reproduced' | 'consistent';
  /** A table or view with a column `__row`: the differing rows this finding covers. */
  rows: string;
  message: string;
  evidence: Evidence;
  /** Overrides the check's fix hint. */
  fixHint?: string;
  /**
   * How much the hypothesis changes (events or values changed): when several causes reproduce a
   * row, the smallest change gets it. Default: registry order decides.
   */
  change?: number;
  /**
   * Rows the intervention reproduces only up to floating-point rounding while it reproduces others
   * exactly: a second cause (float accumulation) is named for them.
   */
  residue?: { rows: string; count: number; change: string };
  /** The intervention that reproduced the rows (carried to rows outside a sample by its pattern). */
  intervention?: Intervention;
  /** Rows outside the recomputed sample that have the winning change's pattern (not recomputed). */
  pattern?: boolean;
}

/** One known cause of skew: the extension point of the diagnosis (see registry.ts). */
export interface DiagnosisCheck<Code extends string = string> {
  /** Stable snake_case code, `diagnoses[].code` in the JSON result. */
  readonly code: Code;
  /** What the cause means, in one line (the README's table of codes). */
  readonly meaning: string;
  /** What to change, in one line (`diagnoses[].fix_hint`). */
  readonly fixHint: string;
  /** Judges every differing row independently of the other checks (attribution comes after). */
  run(context: CheckContext): Promise<Finding | Finding[] | undefined>;
}

/** Returns its argument; exists so that `code` is inferred as its literal (for DiagnosisCode). */
export function defineCheck<const Code extends string>(check: DiagnosisCheck<Code>): DiagnosisCheck<Code> {
  return check;
}
