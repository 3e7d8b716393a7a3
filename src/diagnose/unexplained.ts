// unexplained: the differing rows no check accounts for, with a few examples to start from.
import type { Diagnosis } from '../diff/types.js';
import type { CheckContext } from './check.js';
import { agree, plural, rowText, valueText } from './describe.js';
import { col } from './sql.js';

const EXAMPLES = 5;

export async function describeUnexplained(
  context: CheckContext,
  count: number,
  total: number,
): Promise<Diagnosis> {
  const { session, joined } = context;
  const { left, right } = context.labels;
  const stats = (
    await session.rows(
      `SELECT count(*) FILTER (WHERE __status = 'mismatch') AS mismatched,
         count(*) FILTER (WHERE __status = 'only_left') AS only_left,
         count(*) FILTER (WHERE __status = 'only_right') AS only_right
         ${joined.features.map((f, i) => `, count(*) FILTER (WHERE ${col(undefined, f.differsColumn)}) AS f${i}`).join('')}
       FROM ${context.remaining}`,
    )
  )[0]!;
  const rows = await session.rows(`SELECT * FROM ${context.remaining} ORDER BY __row LIMIT ${EXAMPLES}`);
  const examples = rows.map((row) => {
    const where = rowText(row, joined.keyColumns, joined.timeColumns);
    if (row.__status === 'only_left') return `${where}: only in ${left}`;
    if (row.__status === 'only_right') return `${where}: only in ${right}`;
    const differences = joined.features
      .filter((f) => row[f.differsColumn] === true)
      .map(
        (f) => `${f.name} ${left} ${valueText(row[f.leftColumn])} ${right} ${valueText(row[f.rightColumn])}`,
      );
    return `${where}: ${differences.join(', ')}`;
  });
  const byFeature: Record<string, number> = {};
  joined.features.forEach((f, i) => {
    const n = Number(stats[`f${i}`]);
    if (n > 0) byFeature[f.name] = n;
  });
  return {
    code: 'unexplained',
    tier: 'unexplained',
    rows: count,
    reproduced_rows: 0,
    share: count / total,
    message: `${plural(count, 'differing row')} ${agree(count, 'matches', 'match')} no known cause`,
    evidence: {
      mismatched: Number(stats.mismatched),
      [`only_${left}`]: Number(stats.only_left),
      [`only_${right}`]: Number(stats.only_right),
      features: byFeature,
      examples,
    },
    fix_hint: 'start from the examples (or --mismatches for all of them)',
  };
}
