// The diff's plan: which columns align the two sides (key + window), which are features, and
// how each feature is compared (status, numeric or not, tolerance). Pure metadata work: the
// column lists come from DuckDB, no row is read.
import { InputError, UsageError } from '../errors.js';
import type { ColumnInfo, Session } from '../io/index.js';
import { familyOf } from './family.js';
import { DEFAULT_TOLERANCE } from './tolerance.js';
import type { Diagnosis, FeatureDiff, Tolerance } from './types.js';

export interface DiffSide {
  /** DuckDB table or view holding this side's rows. */
  table: string;
  label: string;
  source: string;
  /** How to name this side in an error message, e.g. "the batch output of features.sql". */
  describe: string;
}

export interface DiffOptions {
  command: 'diff' | 'replay';
  left: DiffSide;
  right: DiffSide;
  keyColumns: string[];
  /** Window columns to align on; default window_start plus window_end when both sides have it. */
  timeColumns?: string[];
  tolerance?: Tolerance;
  featureTolerances?: Record<string, Tolerance>;
  maxMismatchRate?: number;
  sampleSize?: number;
  topKeys?: number;
  mismatchesPath?: string;
  /**
   * The tables are one shard of a sharded run (`--shard i/N`) whose whole input has `inputRows`
   * rows. When that is more than 0, no rows on either side makes an empty shard (windows 0)
   * instead of a "nothing to compare" error; and the plots count every numeric feature, so that
   * the merge can add up what each shard saw.
   */
  shardOf?: { inputRows: number };
  /**
   * Called with the aligned rows before they are dropped, e.g. to diagnose why rows differ.
   * Whatever it returns is stored as the result's `diagnoses`.
   */
  inspect?: (joined: JoinedRows) => Promise<Diagnosis[]>;
}

/** The aligned rows of a diff, as a temporary DuckDB table (see `inspect`). */
export interface JoinedRows {
  session: Session;
  /**
   * Temporary table: align columns, `__status` ('match' | 'mismatch' | 'only_left' | 'only_right':
   * an ENUM of these names, in this order; cast it to VARCHAR before writing it out), and per
   * feature the columns below.
   */
  table: string;
  keyColumns: string[];
  timeColumns: string[];
  left: DiffSide;
  right: DiffSide;
  features: {
    name: string;
    status: FeatureDiff['status'];
    numeric: boolean;
    leftType: string | null;
    rightType: string | null;
    /** The run's tolerance for a numeric feature (null otherwise). */
    tolerance: Tolerance | null;
    /** Column names in `table`: the left value, the right value, TRUE when they differ beyond tolerance. */
    leftColumn: string;
    rightColumn: string;
    differsColumn: string;
  }[];
}

export interface PlannedFeature {
  name: string;
  index: number;
  status: FeatureDiff['status'];
  leftType: string | null;
  rightType: string | null;
  numeric: boolean;
  tolerance: Tolerance | null;
}

export interface DiffPlan {
  timeColumns: string[];
  /** Key columns then window columns: what a row is aligned on. */
  alignColumns: string[];
  leftType: Map<string, string>;
  rightType: Map<string, string>;
  /** Every feature of either side, in name order. */
  features: PlannedFeature[];
  /** The features present on both sides (compared, or compared as text when types differ). */
  comparable: PlannedFeature[];
  baseTolerance: Tolerance;
  featureTolerances: Record<string, Tolerance>;
  notes: string[];
}

function requireColumns(side: DiffSide, columns: ColumnInfo[], wanted: string[], what: string): void {
  const have = new Set(columns.map((c) => c.name));
  const missing = wanted.filter((w) => !have.has(w));
  if (missing.length > 0) {
    throw new InputError(
      `${side.describe} has no ${what} column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}; its columns are: ${columns.map((c) => `${c.name} ${c.type}`).join(', ')}`,
      { file: side.source, column: missing[0] },
    );
  }
}

/** The features of either side in name order, each with how it is compared. */
function planFeatures(
  names: string[],
  types: { left: Map<string, string>; right: Map<string, string> },
  featureTolerances: Record<string, Tolerance>,
  baseTolerance: Tolerance,
): PlannedFeature[] {
  return names.map((name, index) => {
    const lt = types.left.get(name) ?? null;
    const rt = types.right.get(name) ?? null;
    let status: FeatureDiff['status'] = 'compared';
    if (lt === null) status = 'only_right';
    else if (rt === null) status = 'only_left';
    else if (familyOf(lt) !== familyOf(rt)) status = 'type_mismatch';
    const numeric = status === 'compared' && familyOf(lt!) === 'numeric';
    if (featureTolerances[name] && !numeric) {
      throw new UsageError(`--tol ${name}: tolerances apply to numeric features, and ${name} is ${lt ?? rt}`);
    }
    return {
      name,
      index,
      status,
      leftType: lt,
      rightType: rt,
      numeric,
      tolerance: numeric ? (featureTolerances[name] ?? baseTolerance) : null,
    };
  });
}

export async function planDiff(session: Session, options: DiffOptions): Promise<DiffPlan> {
  const { left, right, keyColumns } = options;
  const baseTolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const featureTolerances = options.featureTolerances ?? {};
  const notes: string[] = [];

  const leftColumns = await session.columnsOf(left.table);
  const rightColumns = await session.columnsOf(right.table);
  const leftType = new Map(leftColumns.map((c) => [c.name, c.type]));
  const rightType = new Map(rightColumns.map((c) => [c.name, c.type]));

  requireColumns(left, leftColumns, keyColumns, 'key');
  requireColumns(right, rightColumns, keyColumns, 'key');
  let timeColumns = options.timeColumns;
  if (!timeColumns) {
    timeColumns = ['window_start'];
    if (leftType.has('window_end') && rightType.has('window_end')) timeColumns.push('window_end');
  }
  requireColumns(left, leftColumns, timeColumns, 'window');
  requireColumns(right, rightColumns, timeColumns, 'window');
  const alignColumns = [...keyColumns, ...timeColumns];
  const overlap = keyColumns.find((k) => timeColumns.includes(k));
  if (overlap) throw new UsageError(`"${overlap}" is given both as a key and as a window column`);
  for (const column of alignColumns) {
    const lt = leftType.get(column)!;
    const rt = rightType.get(column)!;
    if (familyOf(lt) !== familyOf(rt)) {
      notes.push(
        `${column} is ${lt} on the ${left.label} side and ${rt} on the ${right.label} side; rows were aligned on its text form`,
      );
    }
  }

  // Features: every other column, matched by name, reported in name order.
  const isAlign = new Set(alignColumns);
  const leftFeatures = leftColumns.map((c) => c.name).filter((n) => !isAlign.has(n));
  const rightFeatures = rightColumns.map((c) => c.name).filter((n) => !isAlign.has(n));
  const allNames = [...new Set([...leftFeatures, ...rightFeatures])].sort();
  const unknownTolerances = Object.keys(featureTolerances).filter((f) => !allNames.includes(f));
  if (unknownTolerances.length > 0) {
    throw new UsageError(
      `--tol names ${unknownTolerances.map((f) => `"${f}"`).join(', ')}, which ${unknownTolerances.length > 1 ? 'are not features' : 'is not a feature'} of either side (features: ${allNames.join(', ') || 'none'})`,
    );
  }
  const types = { left: leftType, right: rightType };
  const features = planFeatures(allNames, types, featureTolerances, baseTolerance);
  const comparable = features.filter((f) => f.status === 'compared' || f.status === 'type_mismatch');
  return {
    timeColumns,
    alignColumns,
    leftType,
    rightType,
    features,
    comparable,
    baseTolerance,
    featureTolerances,
    notes,
  };
}
