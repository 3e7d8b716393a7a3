// definition_difference by intervention: the batch SQL re-run with a column it reads taken from
// another column of the same type that it never reads (amount from amount_local, merchant_id from
// merchant_name). Unlike the per-row recount, it holds when a second bug moves the rows too, so
// it can be combined with another cause's intervention (compose.ts).
import { readFileSync } from 'node:fs';
import { quoteIdent } from '../io/index.js';
import type { CheckContext, Finding } from './check.js';
import { type Hypothesis, reproduceBest } from './intervene.js';

const MAX_SWAPS = 4;

function mentions(sql: string, column: string): boolean {
  return new RegExp(
    `(^|[^A-Za-z0-9_])${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`,
    'i',
  ).test(sql);
}

export async function columnSwapped(context: CheckContext): Promise<Finding | undefined> {
  const { recompute, log } = context;
  if (!recompute || !log?.batchSqlPath) return undefined;
  let sql: string;
  try {
    sql = readFileSync(log.batchSqlPath, 'utf8');
  } catch {
    return undefined;
  }
  const skip = new Set([...context.joined.keyColumns, log.timeColumn]);
  const usable = log.columns.filter((c) => !skip.has(c.name));
  const read = usable.filter((c) => mentions(sql, c.name));
  const unread = usable.filter((c) => !mentions(sql, c.name));
  const pairs = read
    .flatMap((x) => unread.filter((y) => y.type === x.type).map((y) => ({ x: x.name, y: y.name })))
    .slice(0, MAX_SWAPS);
  if (pairs.length === 0) return undefined;
  const counts = (
    await context.session.rows(
      `SELECT ${pairs.map((p, i) => `count(*) FILTER (WHERE ${quoteIdent(p.x)} IS DISTINCT FROM ${quoteIdent(p.y)}) AS c${i}`).join(', ')} FROM ${recompute.log}`,
    )
  )[0]!;
  const { left, right } = context.labels;
  const hypotheses: Hypothesis[] = pairs.flatMap((p, i) => {
    const change = Number(counts[`c${i}`]);
    if (change === 0) return [];
    const [x, y] = [quoteIdent(p.x), quoteIdent(p.y)];
    return [
      {
        intervention: {
          name: `${p.x} read from ${p.y}`,
          events: (l: string) => `SELECT * REPLACE (${y} AS ${x}) FROM ${l}`,
          touches: `${x} IS DISTINCT FROM ${y}`,
        },
        says: `the ${right} aggregates ${p.y} where the ${left} aggregates ${p.x}`,
        evidence: { column: p.x, read_from: p.y, events_differing: change },
        change,
      },
    ];
  });
  return reproduceBest(context, hypotheses);
}
