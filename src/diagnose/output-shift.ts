// The shift between the two outputs, read from the outputs alone (diff, and replay before any
// recomputation): candidate shifts come from the earliest differing window of each key on either
// side; each is verified by joining each side's rows to the other side's rows moved by it and
// comparing every feature. A zone with daylight saving time moves windows by two shifts an hour
// apart (−5h in winter, −4h in summer): the rows the best shift leaves are searched for a second.
import { quoteIdent } from '../io/index.js';
import type { CheckContext, Finding } from './check.js';
import { agree, durationText, listText, plural } from './describe.js';
import { col, epochUs, isTimeType, keysMatch, sameValue } from './sql.js';
import { zonesWithOffsets } from './time-hypotheses.js';

/** A shift is reported when it lines up at least this share of the differing rows it looks at. */
const MIN_SHARE = 0.5;
const CANDIDATES = 3;
/** Two shifts are one zone's (daylight saving time) when this close. */
const DST_GAP_MS = 2 * 3_600_000;

/** Rows (among the remaining) whose left part reappears on the right `shiftUs` later, and vice versa. */
async function verifyShift(
  context: CheckContext,
  shiftUs: bigint,
  leftTypes: ReadonlyMap<string, string>,
  rightTypes: ReadonlyMap<string, string>,
  index: number,
): Promise<string> {
  const { session, joined } = context;
  const keys = joined.keyColumns;
  const times = joined.timeColumns;
  // Equalities only in the join condition (a hash join); the value comparisons, full of ORs,
  // filter the pairs afterwards — inside the ON clause they turn it into a nested-loop join.
  const on = [
    keysMatch(keys, { alias: 'l', types: leftTypes }, { alias: 'r', types: rightTypes }),
    ...times.map((t) => `${epochUs(col('r', t))} = ${epochUs(col('l', t))} + ${shiftUs}`),
  ].join(' AND ');
  const same =
    joined.features
      .map((f) => sameValue(col('l', f.name), f.leftType, col('r', f.name), f.rightType))
      .join(' AND ') || 'true';
  const align = (alias: string) => [...keys, ...times].map((c) => col(alias, c)).join(', ');
  const leftMoved = context.temp(`shift${index}_left`);
  const rightMoved = context.temp(`shift${index}_right`);
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${leftMoved} AS
     SELECT DISTINCT ${align('l')} FROM ${quoteIdent(joined.left.table)} AS l JOIN ${quoteIdent(joined.right.table)} AS r ON ${on} WHERE ${same}`,
  );
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${rightMoved} AS
     SELECT DISTINCT ${align('r')} FROM ${quoteIdent(joined.right.table)} AS r JOIN ${quoteIdent(joined.left.table)} AS l ON ${on} WHERE ${same}`,
  );
  const sameRow = (alias: string, types: ReadonlyMap<string, string>) =>
    [
      keysMatch(keys, { alias: 'x', types: context.joinedTypes }, { alias, types }),
      ...times.map((t) => `CAST(${col('x', t)} AS TIMESTAMP) = CAST(${col(alias, t)} AS TIMESTAMP)`),
    ].join(' AND ');
  const table = context.temp(`shift${index}`);
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     WITH fwd AS (SELECT x.__row FROM ${context.remaining} AS x SEMI JOIN ${leftMoved} AS a ON ${sameRow('a', leftTypes)}),
          back AS (SELECT x.__row FROM ${context.remaining} AS x SEMI JOIN ${rightMoved} AS b ON ${sameRow('b', rightTypes)})
     SELECT __row FROM ${context.remaining}
     WHERE (__status = 'only_right' OR __row IN (SELECT __row FROM fwd))
       AND (__status = 'only_left' OR __row IN (SELECT __row FROM back))`,
  );
  return table;
}

interface Shift {
  shiftUs: bigint;
  /** Table with `__row`: the rows that line up once shifted. */
  table: string;
  rows: number;
  keys: number;
}

/** The candidate shift (not `except`) that lines up most of `context.remaining`'s rows. */
async function bestShift(
  context: CheckContext,
  types: { left: ReadonlyMap<string, string>; right: ReadonlyMap<string, string> },
  found: number[],
  round: { first: number; except?: bigint },
): Promise<Shift | undefined> {
  const { session, joined } = context;
  const keys = joined.keyColumns;
  const first = col(undefined, joined.timeColumns[0]!);
  const keyList = keys.map((k) => col(undefined, k)).join(', ');
  const earliest = (status: string) =>
    `SELECT ${keyList}, min(${epochUs(first)}) AS __m FROM ${context.remaining} WHERE __status <> '${status}' GROUP BY ALL`;
  const candidates = await session.rows(
    `SELECT r.__m - l.__m AS shift, count(*) AS keys
       FROM (${earliest('only_right')}) AS l JOIN (${earliest('only_left')}) AS r
         ON ${keys.map((k) => `${col('l', k)} IS NOT DISTINCT FROM ${col('r', k)}`).join(' AND ')}
       WHERE r.__m <> l.__m${round.except === undefined ? '' : ` AND r.__m - l.__m <> ${round.except}`}
       GROUP BY r.__m - l.__m ORDER BY keys DESC, abs(shift), shift LIMIT ${CANDIDATES}`,
  );
  let best: Shift | undefined;
  for (const [i, candidate] of candidates.entries()) {
    const shiftUs = BigInt(candidate.shift as bigint | number);
    found.push(Number(shiftUs) / 1000);
    const table = await verifyShift(context, shiftUs, types.left, types.right, round.first + i);
    const rows = Number(await session.scalar(`SELECT count(*) FROM ${table}`));
    if (!best || rows > best.rows) best = { shiftUs, table, rows, keys: Number(candidate.keys) };
  }
  return best;
}

/** Output only: the rows that line up once one side's windows are moved by a constant (or by two, a DST zone's). */
export async function outputShift(context: CheckContext, found: number[]): Promise<Finding | undefined> {
  const { session, joined } = context;
  const times = joined.timeColumns;
  if (times.length === 0) return undefined;
  const left = new Map((await session.columnsOf(joined.left.table)).map((c) => [c.name, c.type]));
  const right = new Map((await session.columnsOf(joined.right.table)).map((c) => [c.name, c.type]));
  if (!times.every((t) => isTimeType(left.get(t)) && isTimeType(right.get(t)))) return undefined;
  const remaining = Number(await session.scalar(`SELECT count(*) FROM ${context.remaining}`));
  const best = await bestShift(context, { left, right }, found, { first: 0 });
  if (!best || best.rows < 2) return undefined;
  if (best.rows < remaining) {
    const rest = context.temp('shift_rest');
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${rest} AS SELECT * FROM ${context.remaining} WHERE __row NOT IN (SELECT __row FROM ${best.table})`,
    );
    const second = await bestShift({ ...context, remaining: rest }, { left, right }, found, {
      first: CANDIDATES,
      except: best.shiftUs,
    });
    const gap = second ? Math.abs(Number(second.shiftUs - best.shiftUs)) / 1000 : Number.POSITIVE_INFINITY;
    if (second && second.rows >= 2 && gap <= DST_GAP_MS && best.rows + second.rows >= MIN_SHARE * remaining)
      return twoShifts(context, best, second);
  }
  if (best.rows < MIN_SHARE * remaining) return undefined;
  const shiftMs = Number(best.shiftUs) / 1000;
  const shift = durationText(shiftMs);
  const wholeHours = shiftMs % 3_600_000 === 0;
  const { left: l, right: r } = context.labels;
  return {
    tier: 'consistent',
    rows: best.table,
    message:
      `the ${r}'s windows are the ${l}'s shifted by ${shift}: ${plural(best.rows, 'differing row')} ${agree(best.rows, 'lines', 'line')} up once shifted` +
      (wholeHours
        ? ' — a whole number of hours suggests a time-zone bug (windows computed in local time instead of UTC)'
        : '') +
      (context.log ? '' : '; `replay` with the event log can confirm it'),
    evidence: {
      shift,
      shift_ms: shiftMs,
      whole_hours: wholeHours,
      later_side: shiftMs > 0 ? r : l,
      keys_with_this_shift: best.keys,
      rows_explained: best.rows,
    },
  };
}

/** Two shifts an hour or so apart, each lining up its part of the rows: a zone with daylight saving time. */
async function twoShifts(context: CheckContext, a: Shift, b: Shift): Promise<Finding> {
  const { session, joined } = context;
  const [first, second] = [a, b].sort((x, y) => Number(x.shiftUs - y.shiftUs));
  const ms = [Number(first!.shiftUs) / 1000, Number(second!.shiftUs) / 1000];
  const zones = await zonesWithOffsets(context, quoteIdent(joined.left.table), joined.timeColumns[0]!, ms);
  const rows = context.temp('shift_dst');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${rows} AS SELECT __row FROM ${first!.table} UNION SELECT __row FROM ${second!.table}`,
  );
  const { left, right } = context.labels;
  const parts = [first!, second!].map((s, i) => `${durationText(ms[i]!)} for ${plural(s.rows, 'row')}`);
  return {
    tier: 'consistent',
    rows,
    message:
      `the ${right}'s windows are the ${left}'s shifted by ${listText(parts)}: two offsets an hour or so apart are one time zone's, with daylight saving time` +
      `${zones.length ? ` (e.g. ${listText(zones)})` : ''}, whose wall clock cuts the ${right}'s windows` +
      (context.log ? '' : '; `replay` with the event log can confirm it'),
    evidence: {
      shifts: ms.map(durationText),
      shift_ms: ms,
      rows_per_shift: [first!.rows, second!.rows],
      zones,
      rows_explained: first!.rows + second!.rows,
    },
  };
}
