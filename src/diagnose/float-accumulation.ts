// float_accumulation: the values differ by rounding only — accumulating in float32, or summing
// in another order with large and small values. A mismatching row is explained when every
// feature that differs in it is numeric with a relative difference of at most MAX_ROUNDING (sql.ts), at
// least one value not a whole number, and the difference not a whole number of cents (a missing
// cent is a real difference, however small next to the total).
import { type CheckContext, defineCheck, type Finding } from './check.js';
import { listText, plural, toleranceAbove } from './describe.js';
import { col, roundingOnly } from './sql.js';

export const floatAccumulation = defineCheck({
  code: 'float_accumulation',
  meaning: 'only tiny relative differences; suggests a `--tol`',
  fixHint: 'accumulate in float64 in one order, or accept the rounding with the suggested --tol',
  async run(context: CheckContext): Promise<Finding | undefined> {
    const { session, joined } = context;
    const features = joined.features;
    if (!features.some((f) => f.numeric)) return undefined;
    const tiny = (f: (typeof features)[number]) =>
      f.numeric ? roundingOnly(col('r', f.leftColumn), col('r', f.rightColumn)) : 'false';
    const relative = (f: (typeof features)[number]) => {
      const a = `CAST(${col('r', f.leftColumn)} AS DOUBLE)`;
      const b = `CAST(${col('r', f.rightColumn)} AS DOUBLE)`;
      return `abs(${a} - ${b}) / greatest(abs(${a}), abs(${b}))`;
    };
    const checked = context.temp('float_checked');
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${checked} AS
       SELECT r.__row,
         ${features.map((f, i) => `COALESCE(${col('r', f.differsColumn)}, false) AS __m${i}, ${f.numeric ? relative(f) : 'NULL::DOUBLE'} AS __q${i}`).join(', ')},
         ${features.map((f) => `(NOT COALESCE(${col('r', f.differsColumn)}, false) OR ${tiny(f)})`).join(' AND ')} AS __explained
       FROM ${context.remaining} AS r WHERE r.__status = 'mismatch'`,
    );
    const explained = context.temp('float');
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${explained} AS SELECT __row FROM ${checked} WHERE __explained`,
    );
    const stats = (
      await session.rows(
        `SELECT count(*) AS rows ${features.map((_, i) => `, count(*) FILTER (WHERE __m${i}) AS m${i}, max(__q${i}) FILTER (WHERE __m${i}) AS q${i}`).join('')}
         FROM ${checked} WHERE __explained`,
      )
    )[0]!;
    const rows = Number(stats.rows);
    if (rows === 0) return undefined;
    const maxRelative: Record<string, number> = {};
    const suggested: string[] = [];
    features.forEach((f, i) => {
      if (Number(stats[`m${i}`]) === 0) return;
      const q = Number(stats[`q${i}`]);
      maxRelative[f.name] = q;
      suggested.push(`--tol ${f.name}=rel:${toleranceAbove(q).toExponential(0)}`);
    });
    const names = Object.keys(maxRelative);
    const largest = Math.max(...Object.values(maxRelative));
    return {
      tier: 'consistent',
      rows: explained,
      message:
        `only tiny relative differences (at most ${largest.toExponential(1)}) in ${listText(names)} across ${plural(rows, 'row')}: ` +
        `floating-point accumulation (float32, or another summation order); if that is acceptable, ${suggested.join(' ')}`,
      evidence: {
        max_relative_diff: maxRelative,
        suggested_tolerance: suggested,
        rows_explained: rows,
      },
    };
  },
});
