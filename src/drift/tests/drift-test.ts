// The contract of a distribution test: one typed object per file in this folder, listed in the
// registry (index.ts). A test compares every planned feature of its kind and fills their results;
// reports print its statistic and effect through it, so no renderer guesses by name.
import { InputError, isSkewcheckError, messageOf } from '../../errors.js';
import type { Session } from '../../io/index.js';
import type { PlannedFeature } from '../feature-plan.js';
import type { NumericDriftPlot } from '../plot-types.js';
import type { TEST_EFFECTS, TestName } from '../test-names.js';
import type { ComparedKind, DriftSettings, FeatureResult } from '../types.js';

/** What a test may read: the open snapshots and the run's settings. */
export interface ComparisonContext {
  session: Session;
  /** Quoted SQL relations of the two snapshots. */
  relations: { train: string; prod: string };
  rows: { train: number; prod: number };
  settings: DriftSettings;
  /** Threads a test may use besides DuckDB's (default: the cores available). */
  threads?: number;
  /** When set, numeric tests add each feature's chart data, made from the values they hold. */
  numericPlots?: Map<string, NumericDriftPlot | null>;
  /**
   * The production snapshot is byte for byte the training snapshot's file (same format): its
   * values are those of the training side, so tests may read them once.
   */
  sameFile?: boolean;
}

export interface StatisticText {
  num: (x: number, digits: number) => string;
  compact: boolean;
}

export interface DriftTest<N extends TestName = TestName> {
  readonly name: N;
  /** The kind of feature it tests; the registry maps each kind to one test. */
  readonly kind: ComparedKind;
  /** The effect size the verdict gates on, as `effect_measure` names it. */
  readonly effectMeasure: (typeof TEST_EFFECTS)[N];
  /** The effect measure's short name in reports, e.g. "D". */
  readonly effectLabel: string;
  /**
   * The statistic as reports print it, e.g. "KS D 0.1234" ("D 0.1234" when `compact`, in a table
   * whose column already says "statistic"); `num` is the report's number format.
   */
  describeStatistic(statistic: number, f: FeatureResult, text: StatisticText): string;
  /** One result per feature, in the order given (status tested or cannot_test, null rate not yet). */
  compare(context: ComparisonContext, features: readonly PlannedFeature[]): Promise<FeatureResult[]>;
}

function isDuckDbError(error: unknown): boolean {
  return error instanceof Error && /^[A-Z][A-Za-z ]* Error: /.test(error.message);
}

/** Run `compare` on each feature in turn; a DuckDB error names the column it happened on. */
export async function compareEach(
  features: readonly PlannedFeature[],
  compare: (feature: PlannedFeature) => Promise<FeatureResult>,
): Promise<FeatureResult[]> {
  const out: FeatureResult[] = [];
  for (const p of features) {
    try {
      out.push(await compare(p));
    } catch (error) {
      throw columnError(p.name, error);
    }
  }
  return out;
}

/** A DuckDB error while comparing a column, as an InputError naming it; anything else unchanged. */
export function columnError(column: string, error: unknown): unknown {
  if (isSkewcheckError(error) || !isDuckDbError(error)) return error;
  return new InputError(`cannot compare column "${column}": ${messageOf(error)}`, { column });
}
