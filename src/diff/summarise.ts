// Reading the joined table back: the summary and per-feature aggregates in one pass, the top
// offending keys, and the first differing rows — all bounded, in a stable order.
import { type JsRow, quoteIdent, type Session } from '../io/index.js';
import { J } from './align.js';
import { jsonValue } from './json-value.js';
import type { DiffOptions, DiffPlan } from './plan.js';
import type { FeatureDiff, JsonValue, KeyDiff, RowSample } from './types.js';

/** A finite number, or null for NULL, NaN and ±Infinity. */
function finiteOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export interface Totals {
  /** A count or aggregate of the summary pass by name (0 when absent). */
  n: (name: string) => number;
  raw: JsRow;
}

/** Summary counts and per-feature aggregates of the joined table, in one pass. */
export async function readTotals(session: Session, plan: DiffPlan): Promise<Totals> {
  const aggregates = [
    `count(*) AS windows`,
    `count(*) FILTER (WHERE __status = 'match') AS matched`,
    `count(*) FILTER (WHERE __status = 'mismatch') AS mismatched`,
    `count(*) FILTER (WHERE __status = 'only_left') AS only_left`,
    `count(*) FILTER (WHERE __status = 'only_right') AS only_right`,
    `count(*) FILTER (WHERE __presence IS NULL) AS both_sides`,
    ...plan.comparable.flatMap((f) => [
      `count(*) FILTER (WHERE __m${f.index}) AS m${f.index}`,
      `count(*) FILTER (WHERE __z${f.index}) AS z${f.index}`,
      ...(f.numeric ? [`max(__a${f.index}) AS a${f.index}`, `max(__q${f.index}) AS q${f.index}`] : []),
    ]),
  ];
  const raw = (await session.rows(`SELECT ${aggregates.join(', ')} FROM ${J}`))[0]!;
  return { raw, n: (name: string) => Number(raw[name] ?? 0) };
}

export function featureDiffs(plan: DiffPlan, totals: Totals): FeatureDiff[] {
  const { n } = totals;
  const bothSides = n('both_sides');
  return plan.features.map((f) => {
    const compared = f.status === 'compared' || f.status === 'type_mismatch' ? bothSides : 0;
    const mismatches = compared > 0 ? n(`m${f.index}`) : 0;
    return {
      name: f.name,
      status: f.status,
      left_type: f.leftType,
      right_type: f.rightType,
      compared,
      mismatches,
      mismatch_rate: compared > 0 ? mismatches / compared : 0,
      max_abs_diff: f.numeric ? finiteOrNull(totals.raw[`a${f.index}`]) : null,
      max_rel_diff: f.numeric ? finiteOrNull(totals.raw[`q${f.index}`]) : null,
      tolerance: f.tolerance,
      null_mismatches: compared > 0 ? n(`z${f.index}`) : 0,
    };
  });
}

function pick(row: JsRow, columns: string[]): Record<string, JsonValue> {
  return Object.fromEntries(columns.map((c) => [c, jsonValue(row[c])])) as Record<string, JsonValue>;
}

/** The keys with the most differing rows, most first, ties by key. */
export async function topOffendingKeys(
  session: Session,
  options: DiffOptions,
  plan: DiffPlan,
  limit: number,
): Promise<KeyDiff[]> {
  const { keyColumns } = options;
  const keyList = keyColumns.map(quoteIdent).join(', ');
  const keyRows = await session.rows(
    `SELECT ${keyList},
       count(*) FILTER (WHERE __status = 'mismatch') AS mismatched_windows,
       count(*) FILTER (WHERE __status = 'only_left') AS only_left,
       count(*) FILTER (WHERE __status = 'only_right') AS only_right
       ${plan.comparable.map((f) => `, bool_or(COALESCE(__m${f.index}, false)) AS f${f.index}`).join('')}
     FROM ${J} WHERE __status <> 'match'
     GROUP BY ALL
     ORDER BY count(*) DESC, ${keyColumns.map((k) => `${quoteIdent(k)} ASC NULLS FIRST`).join(', ')}
     LIMIT ${limit}`,
  );
  return keyRows.map((row) => ({
    key: pick(row, keyColumns),
    mismatched_windows: Number(row.mismatched_windows),
    only_left: Number(row.only_left),
    only_right: Number(row.only_right),
    features: plan.comparable.filter((f) => row[`f${f.index}`] === true).map((f) => f.name),
  }));
}

/** ORDER BY clause listing the align columns, NULLs first: the stable order of row listings. */
export function alignOrder(plan: DiffPlan): string {
  return plan.alignColumns.map((c) => `${quoteIdent(c)} ASC NULLS FIRST`).join(', ');
}

/** The first differing rows in align order, with the features that differ in each. */
export async function sampleDifferences(
  session: Session,
  options: DiffOptions,
  plan: DiffPlan,
  limit: number,
): Promise<RowSample[]> {
  const sampleRows = await session.rows(
    `SELECT * FROM ${J} WHERE __status <> 'match' ORDER BY ${alignOrder(plan)} LIMIT ${limit}`,
  );
  return sampleRows.map((row) => ({
    key: pick(row, options.keyColumns),
    window: pick(row, plan.timeColumns),
    status: row.__status as RowSample['status'],
    differences: plan.comparable
      .filter((f) => row[`__m${f.index}`] === true)
      .map((f) => ({
        feature: f.name,
        left: jsonValue(row[`__l${f.index}`]),
        right: jsonValue(row[`__r${f.index}`]),
        abs_diff: f.numeric ? finiteOrNull(row[`__a${f.index}`]) : null,
        rel_diff: f.numeric ? finiteOrNull(row[`__q${f.index}`]) : null,
      })),
  }));
}
