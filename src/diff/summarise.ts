// Reading the joined table back: the summary and per-feature aggregates (in passes of a few
// hundred), the top offending keys, and the first differing rows — all bounded, in a stable order.
import { type JsRow, quoteIdent, type Session } from '../io/index.js';
import { J } from './align.js';
import { BOTH_SIDES, countIf, derivedColumns } from './compare-sql.js';
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

/** Aggregates per query: a wide diff's hundreds of features are read in several passes of this many. */
const AGGREGATES_PER_QUERY = 256;

/**
 * One row of aggregates over `table`, computed in passes of at most AGGREGATES_PER_QUERY
 * expressions (a single SELECT of thousands of aggregates is slow to plan and to run).
 */
export async function aggregateInPasses(
  session: Session,
  table: string,
  aggregates: string[],
  where = '',
): Promise<JsRow> {
  const row: JsRow = {};
  for (let start = 0; start < aggregates.length; start += AGGREGATES_PER_QUERY) {
    const part = aggregates.slice(start, start + AGGREGATES_PER_QUERY);
    Object.assign(row, (await session.rows(`SELECT ${part.join(', ')} FROM ${table} ${where}`))[0]);
  }
  return row;
}

/** Summary counts and per-feature aggregates of the joined table. */
export async function readTotals(session: Session, plan: DiffPlan): Promise<Totals> {
  const aggregates = [
    `count(*) AS windows`,
    `${countIf(`__status = 'match'`)} AS matched`,
    `${countIf(`__status = 'mismatch'`)} AS mismatched`,
    `${countIf(`__status = 'only_left'`)} AS only_left`,
    `${countIf(`__status = 'only_right'`)} AS only_right`,
    `${countIf(BOTH_SIDES)} AS both_sides`,
    ...plan.comparable.flatMap((f) => {
      const derived = derivedColumns(f);
      return [
        `${countIf(`__m${f.index}`)} AS m${f.index}`,
        `${countIf(derived.nullMismatch)} AS z${f.index}`,
        ...(f.numeric
          ? [
              `max(__d${f.index}) AS a${f.index}`,
              `max(${derived.relDiffFrom(`__d${f.index}`)}) AS q${f.index}`,
            ]
          : []),
      ];
    }),
  ];
  // Each numeric feature's |l − r| once per row, for both of its maxima.
  const differences = plan.comparable
    .filter((f) => f.numeric)
    .map((f) => `, ${derivedColumns(f).absDiff} AS __d${f.index}`);
  const raw = await aggregateInPasses(session, `(SELECT *${differences.join('')} FROM ${J})`, aggregates);
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
  const top = '__top_keys';
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${top} AS
     SELECT *, row_number() OVER (ORDER BY __rows DESC, ${keyColumns.map((k) => `${quoteIdent(k)} ASC NULLS FIRST`).join(', ')}) AS __rank
     FROM (
       SELECT ${keyList}, count(*) AS __rows,
         ${countIf(`__status = 'mismatch'`)} AS mismatched_windows,
         ${countIf(`__status = 'only_left'`)} AS only_left,
         ${countIf(`__status = 'only_right'`)} AS only_right
       FROM ${J} WHERE __status <> 'match'
       GROUP BY ALL
       ORDER BY __rows DESC, ${keyColumns.map((k) => `${quoteIdent(k)} ASC NULLS FIRST`).join(', ')}
       LIMIT ${limit})`,
  );
  const keyRows = await session.rows(`SELECT * FROM ${top} ORDER BY __rank`);
  // Which features differ for each top key, read in passes (a wide diff has hundreds).
  const flags = new Map<number, JsRow>();
  const on = keyColumns
    .map((k) => `j.${quoteIdent(k)} IS NOT DISTINCT FROM t.${quoteIdent(k)}`)
    .join(' AND ');
  for (let start = 0; start < plan.comparable.length; start += AGGREGATES_PER_QUERY) {
    const part = plan.comparable.slice(start, start + AGGREGATES_PER_QUERY);
    const rows = await session.rows(
      `SELECT t.__rank ${part.map((f) => `, bool_or(COALESCE(j.__m${f.index}, false)) AS f${f.index}`).join('')}
       FROM ${J} AS j JOIN ${top} AS t ON ${on}
       WHERE j.__status <> 'match' GROUP BY t.__rank`,
    );
    for (const row of rows) flags.set(Number(row.__rank), { ...flags.get(Number(row.__rank)), ...row });
  }
  await session.run(`DROP TABLE ${top}`);
  return keyRows.map((row) => {
    const differs = flags.get(Number(row.__rank)) ?? {};
    return {
      key: pick(row, keyColumns),
      mismatched_windows: Number(row.mismatched_windows),
      only_left: Number(row.only_left),
      only_right: Number(row.only_right),
      features: plan.comparable.filter((f) => differs[`f${f.index}`] === true).map((f) => f.name),
    };
  });
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
  const first = `SELECT * FROM ${J} WHERE __status <> 'match' ORDER BY ${alignOrder(plan)} LIMIT ${limit}`;
  const sampleRows = await session.rows(first);
  // Differences only for the numeric features that differ in these rows (align order is total:
  // (key, window) is unique in the joined table, so the second read lists the same rows).
  const differing = plan.comparable.filter(
    (f) => f.numeric && sampleRows.some((row) => row[`__m${f.index}`] === true),
  );
  if (differing.length > 0) {
    const derived = await session.rows(
      `SELECT ${differing
        .map(
          (f) =>
            `${derivedColumns(f).absDiff} AS __a${f.index}, ${derivedColumns(f).relDiff} AS __q${f.index}`,
        )
        .join(', ')} FROM (${first}) ORDER BY ${alignOrder(plan)}`,
    );
    sampleRows.forEach((row, i) => {
      Object.assign(row, derived[i]);
    });
  }
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
