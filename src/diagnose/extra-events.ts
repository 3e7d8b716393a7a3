// Shared by late_data and duplicate_events: given, per differing row, the events that one side
// saw and the other did not (dropped as late, or extra copies of a repeated event), find the
// rows those events account for exactly.
import type { CheckContext } from './check.js';
import { col, sameNumber } from './sql.js';

export interface ExtraEventsExplanation {
  /** Table with column `__row`: the rows the events account for. */
  table: string;
  rows: number;
  /** Rows in which a feature differs by exactly the events' count or a sum of their column, per feature. */
  byFeature: Record<string, number>;
  /** Which side's values include the events (is larger), by majority over the explained rows. */
  includedBy: 'left' | 'right' | undefined;
}

/**
 * A row is explained when it has such events and either exists on one side only, or one of its
 * differing numeric features differs by exactly their number or by the sum of one of their
 * numeric columns (e.g. a count off by 2 and a total off by the two events' amounts).
 *
 * `events` is a table with `__row` (the differing row) and the events' columns;
 * `sumColumns` are its numeric columns worth summing.
 */
export async function explainByExtraEvents(
  context: CheckContext,
  name: string,
  events: string,
  sumColumns: string[],
): Promise<ExtraEventsExplanation> {
  const { session } = context;
  const features = context.joined.features.filter((f) => f.numeric);
  const perRow = context.temp(`${name}_per_row`);
  const sums = sumColumns.map((c, i) => `sum(CAST(${col(undefined, c)} AS DOUBLE)) AS __s${i}`);
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${perRow} AS
     SELECT __row, count(*) AS __n${sums.map((s) => `, ${s}`).join('')} FROM ${events} GROUP BY __row`,
  );
  const checked = context.temp(`${name}_checked`);
  const featureColumns = features.map((f, i) => {
    const l = `CAST(${col('r', f.leftColumn)} AS DOUBLE)`;
    const r = `CAST(${col('r', f.rightColumn)} AS DOUBLE)`;
    const diff = `abs(${l} - ${r})`;
    const candidates = [
      sameNumber(diff, 'a.__n'),
      ...sumColumns.map((_, j) => sameNumber(diff, `abs(a.__s${j})`)),
    ];
    return [
      `(COALESCE(${col('r', f.differsColumn)}, false) AND (${candidates.join(' OR ')})) AS __x${i}`,
      `sign(${r} - ${l}) AS __d${i}`,
    ].join(', ');
  });
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${checked} AS
     SELECT r.__row, r.__status${featureColumns.map((c) => `, ${c}`).join('')}
     FROM ${context.remaining} AS r JOIN ${perRow} AS a ON a.__row = r.__row`,
  );
  const anyFeature = features.length ? features.map((_, i) => `__x${i}`).join(' OR ') : 'false';
  const table = context.temp(name);
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT __row FROM ${checked} WHERE __status <> 'mismatch' OR ${anyFeature}`,
  );
  const stats = (
    await session.rows(
      `SELECT count(*) FILTER (WHERE __status <> 'mismatch' OR ${anyFeature}) AS rows,
         count(*) FILTER (WHERE __status = 'only_left') AS only_left,
         count(*) FILTER (WHERE __status = 'only_right') AS only_right
         ${features.map((_, i) => `, count(*) FILTER (WHERE __x${i}) AS x${i}, count(*) FILTER (WHERE __x${i} AND __d${i} > 0) AS up${i}, count(*) FILTER (WHERE __x${i} AND __d${i} < 0) AS down${i}`).join('')}
       FROM ${checked}`,
    )
  )[0]!;
  const byFeature: Record<string, number> = {};
  let rightLarger = Number(stats.only_right);
  let leftLarger = Number(stats.only_left);
  features.forEach((f, i) => {
    const x = Number(stats[`x${i}`]);
    if (x > 0) byFeature[f.name] = x;
    rightLarger += Number(stats[`up${i}`]);
    leftLarger += Number(stats[`down${i}`]);
  });
  return {
    table,
    rows: Number(stats.rows),
    byFeature,
    includedBy: rightLarger > leftLarger ? 'right' : leftLarger > rightLarger ? 'left' : undefined,
  };
}
