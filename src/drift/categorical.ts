// Category frequency comparison of one categorical feature between two snapshots, in DuckDB:
// chi-square test of homogeneity on the 2 x K table (as scipy.stats.chi2_contingency with
// correction=False), Jensen–Shannon distance (base 2, as scipy.spatial.distance.jensenshannon),
// total variation and L-infinity distances between the frequency vectors, and categories that
// appear on one side only.
// Sums over categories are ordered by category so that results are identical on every run.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Session } from '../io/index.js';
import { quoteIdent } from '../io/index.js';
import { chiSquareSf } from './special-functions.js';

export interface CategoricalSideSummary {
  rows: number;
  /** NULL (and NaN, for floating-point columns compared as categories). */
  nulls: number;
  /** Distinct non-null categories. */
  categories: number;
}

export interface CategoryShare {
  category: string;
  train_share: number;
  prod_share: number;
}

export interface CategoricalComparison {
  train: CategoricalSideSummary;
  prod: CategoricalSideSummary;
  /** Null when either side has no non-null values. */
  chi2: { statistic: number; dof: number; pvalue: number } | null;
  jsDistance: number | null;
  /** ½ Σ |p - q| over categories: the share of mass that moved, new and vanished categories included. */
  totalVariation: number | null;
  linf: number | null;
  /** Categories seen in prod but never in train (first `listLimit`, sorted) and their number. */
  newCategories: { values: string[]; count: number };
  /** Categories seen in train but never in prod. */
  vanishedCategories: { values: string[]; count: number };
  /** The categories whose share moved most. */
  topShifts: CategoryShare[];
}

export interface CategoricalOptions {
  /** NaN counts as missing (floating-point columns listed as categorical). */
  floatingPoint: boolean;
  listLimit: number;
  shiftLimit: number;
}

let tableCounter = 0;

async function columns(session: Session, sql: string): Promise<DuckDBValue[][]> {
  return (await session.connection.runAndReadAll(sql)).getColumns();
}

/** The first row of a one-row aggregate query, as numbers. */
async function numbers(session: Session, sql: string): Promise<number[]> {
  const rows = (await session.connection.runAndReadAll(sql)).getRows();
  return (rows[0] ?? []).map((v) => (v === null ? 0 : Number(v)));
}

export async function compareCategoricalColumn(
  session: Session,
  relations: { train: string; prod: string },
  column: string,
  rows: { train: number; prod: number },
  options: CategoricalOptions,
): Promise<CategoricalComparison> {
  const col = quoteIdent(column);
  const category = options.floatingPoint
    ? `CASE WHEN isnan(${col}) THEN NULL ELSE CAST(${col} AS VARCHAR) END`
    : `CAST(${col} AS VARCHAR)`;
  const table = quoteIdent(`drift_categories_${++tableCounter}`);
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT c, count(*) FILTER (WHERE s = 1) AS k1, count(*) FILTER (WHERE s = 2) AS k2
     FROM (SELECT ${category} AS c, 1 AS s FROM ${relations.train}
           UNION ALL SELECT ${category} AS c, 2 AS s FROM ${relations.prod})
     GROUP BY c`,
  );
  try {
    const [r1, r2, nulls1, nulls2, cats1, cats2, newCount, vanishedCount] = await numbers(
      session,
      `SELECT sum(k1) FILTER (WHERE c IS NOT NULL)::DOUBLE, sum(k2) FILTER (WHERE c IS NOT NULL)::DOUBLE,
              coalesce(sum(k1) FILTER (WHERE c IS NULL), 0)::DOUBLE, coalesce(sum(k2) FILTER (WHERE c IS NULL), 0)::DOUBLE,
              count(*) FILTER (WHERE c IS NOT NULL AND k1 > 0)::DOUBLE, count(*) FILTER (WHERE c IS NOT NULL AND k2 > 0)::DOUBLE,
              count(*) FILTER (WHERE c IS NOT NULL AND k1 = 0)::DOUBLE, count(*) FILTER (WHERE c IS NOT NULL AND k2 = 0)::DOUBLE
       FROM ${table}`,
    );
    const n1 = r1 ?? 0;
    const n2 = r2 ?? 0;
    const train = { rows: rows.train, nulls: nulls1!, categories: cats1! };
    const prod = { rows: rows.prod, nulls: nulls2!, categories: cats2! };
    const listOf = async (where: string) =>
      ((
        await columns(
          session,
          `SELECT c FROM ${table} WHERE c IS NOT NULL AND ${where} ORDER BY c LIMIT ${options.listLimit}`,
        )
      )[0] ?? []) as string[];
    const newCategories = { values: newCount! > 0 ? await listOf('k1 = 0') : [], count: newCount! };
    const vanishedCategories = {
      values: vanishedCount! > 0 ? await listOf('k2 = 0') : [],
      count: vanishedCount!,
    };
    if (n1 === 0 || n2 === 0) {
      return {
        train,
        prod,
        chi2: null,
        jsDistance: null,
        totalVariation: null,
        linf: null,
        newCategories,
        vanishedCategories,
        topShifts: [],
      };
    }
    const total = n1 + n2;
    // Expected counts under homogeneity: row total × column total / grand total.
    const e1 = `((k1 + k2)::DOUBLE * ${n1} / ${total})`;
    const e2 = `((k1 + k2)::DOUBLE * ${n2} / ${total})`;
    const p = `(k1::DOUBLE / ${n1})`;
    const q = `(k2::DOUBLE / ${n2})`;
    const m = `((${p} + ${q}) / 2)`;
    const relEntr = (x: string) => `CASE WHEN ${x} > 0 THEN ${x} * ln(${x} / ${m}) ELSE 0 END`;
    const [chi2, js, linf, k, tv] = await numbers(
      session,
      `SELECT fsum((k1 - ${e1}) * (k1 - ${e1}) / ${e1} + (k2 - ${e2}) * (k2 - ${e2}) / ${e2} ORDER BY c),
              fsum(${relEntr(p)} + ${relEntr(q)} ORDER BY c),
              max(abs(${p} - ${q})),
              count(*)::DOUBLE,
              fsum(abs(${p} - ${q}) ORDER BY c) / 2
       FROM ${table} WHERE c IS NOT NULL`,
    );
    const dof = k! - 1;
    const statistic = dof === 0 ? 0 : chi2!;
    const [shiftCats, shiftP, shiftQ] = (await columns(
      session,
      `SELECT c, ${p}, ${q} FROM ${table} WHERE c IS NOT NULL
       ORDER BY abs(${p} - ${q}) DESC, c LIMIT ${options.shiftLimit}`,
    )) as [string[], number[], number[]];
    const topShifts = shiftCats.map((c, i) => ({
      category: c,
      train_share: shiftP[i]!,
      prod_share: shiftQ[i]!,
    }));
    return {
      train,
      prod,
      chi2: { statistic, dof, pvalue: dof === 0 ? 1 : chiSquareSf(statistic, dof) },
      // Clamped: rounding can push the base-2 divergence a hair above its bound of 1.
      jsDistance: Math.min(1, Math.sqrt(Math.max(0, js!) / Math.LN2 / 2)),
      // Clamped to [0, 1] for the same reason.
      totalVariation: Math.min(1, Math.max(0, tv!)),
      linf: linf!,
      newCategories,
      vanishedCategories,
      topShifts,
    };
  } finally {
    await session.run(`DROP TABLE IF EXISTS ${table}`);
  }
}
