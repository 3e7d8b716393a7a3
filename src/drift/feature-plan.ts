// Which columns to compare and how: match features by name across the two snapshots, classify
// their DuckDB types, and apply --features / --exclude / --categorical.
import { InputError } from '../errors.js';
import type { ColumnInfo } from '../io/index.js';
import type { FeatureKind } from './types.js';

export type TypeClass = 'numeric' | 'string' | 'boolean' | 'temporal' | 'other';

export type FeaturePlanStatus = 'compare' | 'skip' | 'type_mismatch' | 'only_train' | 'only_prod';

export interface PlannedFeature {
  name: string;
  kind: FeatureKind;
  status: FeaturePlanStatus;
  typeTrain: string | null;
  typeProd: string | null;
  /** Floating-point column: NaN counts as missing. */
  floatingPoint: boolean;
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/;
const TEMPORAL = /^(DATE|TIME|TIMESTAMP|INTERVAL)\b|^TIME_NS$|^TIMESTAMP_(S|MS|NS)$/;
const STRING = /^(VARCHAR|UUID|JSON)$|^ENUM\(/;

export function classifyType(type: string): TypeClass {
  const t = type.toUpperCase();
  if (NUMERIC.test(t)) return 'numeric';
  if (t === 'BOOLEAN') return 'boolean';
  if (STRING.test(t)) return 'string';
  if (TEMPORAL.test(t)) return 'temporal';
  return 'other';
}

const CLASS_WORD: Record<TypeClass, string> = {
  numeric: 'numeric',
  string: 'text',
  boolean: 'boolean',
  temporal: 'a date/time',
  other: 'a nested or binary value',
};

export function describeClass(type: string): string {
  return CLASS_WORD[classifyType(type)];
}

export interface PlanInput {
  train: { path: string; columns: ColumnInfo[] };
  prod: { path: string; columns: ColumnInfo[] };
  features?: string[];
  exclude?: string[];
  categorical?: string[];
}

/** Each snapshot's column types by name, with the plan's input (for the paths in messages). */
interface ColumnIndex {
  train: Map<string, string>;
  prod: Map<string, string>;
  input: PlanInput;
}

function checkNamesExist(
  names: readonly string[] | undefined,
  flag: string,
  { train, prod, input }: ColumnIndex,
  needBoth: boolean,
): void {
  for (const name of names ?? []) {
    const inTrain = train.has(name);
    const inProd = prod.has(name);
    if (needBoth ? inTrain && inProd : inTrain || inProd) continue;
    const missingFrom = [!inTrain ? input.train.path : null, !inProd ? input.prod.path : null].filter(
      (p): p is string => p !== null,
    );
    const where = missingFrom.length === 2 ? `${missingFrom[0]} or ${missingFrom[1]}` : missingFrom[0]!;
    throw new InputError(`${flag} names column "${name}", which is not in ${where}`, {
      file: missingFrom[0],
      column: name,
    });
  }
}

/** The features to report, in column order (train's first, then prod-only ones). */
export function planFeatures(input: PlanInput): PlannedFeature[] {
  const train = new Map(input.train.columns.map((c) => [c.name, c.type]));
  const prod = new Map(input.prod.columns.map((c) => [c.name, c.type]));
  const index = { train, prod, input };
  checkNamesExist(input.features, '--features', index, true);
  checkNamesExist(input.exclude, '--exclude', index, false);
  checkNamesExist(input.categorical, '--categorical', index, false);
  const excluded = new Set(input.exclude ?? []);
  const categorical = new Set(input.categorical ?? []);
  const names = input.features ?? [
    ...input.train.columns.map((c) => c.name),
    ...input.prod.columns.map((c) => c.name).filter((n) => !train.has(n)),
  ];
  const plan: PlannedFeature[] = [];
  for (const name of names) {
    if (excluded.has(name)) continue;
    const typeTrain = train.get(name) ?? null;
    const typeProd = prod.get(name) ?? null;
    const classes = [typeTrain, typeProd].filter((t): t is string => t !== null).map(classifyType);
    const floatingPoint = [typeTrain, typeProd].some((t) => t !== null && /^(FLOAT|DOUBLE|REAL)$/i.test(t));
    const kindOf = (c: TypeClass): FeatureKind =>
      categorical.has(name)
        ? 'categorical'
        : c === 'numeric'
          ? 'numeric'
          : c === 'string' || c === 'boolean'
            ? 'categorical'
            : c === 'temporal'
              ? 'temporal'
              : 'unsupported';
    const kind = kindOf(classes[0]!);
    const base = { name, kind, typeTrain, typeProd, floatingPoint };
    if (typeTrain === null) plan.push({ ...base, status: 'only_prod' });
    else if (typeProd === null) plan.push({ ...base, status: 'only_train' });
    else if (classes[0] !== classes[1]) plan.push({ ...base, status: 'type_mismatch' });
    else if (kind === 'temporal' || kind === 'unsupported') plan.push({ ...base, status: 'skip' });
    else plan.push({ ...base, status: 'compare' });
  }
  return plan;
}
