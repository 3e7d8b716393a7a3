// time_shift: one side's windows are the other's moved by a constant (a time-zone bug puts
// them whole hours apart: windows computed in local time and labelled as UTC). Candidate
// shifts come from the earliest differing window of each key on either side; the most common
// one is verified by joining each side's rows to the other side's rows shifted by it and
// comparing every feature.
import { quoteIdent } from '../io/index.js';
import { type CheckContext, defineCheck, type Finding } from './check.js';
import { agree, durationText, listText, plural } from './describe.js';
import { reproduceBest } from './intervene.js';
import { col, epochUs, isTimeType, keysMatch, sameValue } from './sql.js';
import {
  isQuarterHourShift,
  probeShifts,
  shiftsForPhase,
  timeHypotheses,
  type WindowPhase,
  windowLength,
  windowPhase,
  zonesWithOffset,
} from './time-hypotheses.js';

/** A shift is reported when it lines up at least this share of the differing rows it looks at. */
const MIN_SHARE = 0.5;
const CANDIDATES = 3;

export const timeShift = defineCheck({
  code: 'time_shift',
  meaning: "one side's windows are the other's moved by a constant; whole hours suggest a time-zone bug",
  fixHint: 'compute and label windows in UTC on both sides (or in the same named zone)',
  async run(context: CheckContext): Promise<Finding[]> {
    const candidates: number[] = [];
    const shifted = await outputShift(context, candidates);
    const findings: Finding[] = [];
    const size = await windowLength(context);
    const phase = size ? await windowPhase(context, size) : undefined;
    const log = context.log;
    if (context.recompute && log && isTimeType(log.types.get(log.timeColumn))) {
      const shifts = [
        ...new Set([...candidates.filter(isQuarterHourShift), ...(phase ? shiftsForPhase(phase) : [])]),
      ];
      let reproduced = await reproduceBest(context, await timeHypotheses(context, shifts.slice(0, 8), size));
      // Windows of the same phase on both sides, most rows differing: a shift by less than a
      // window changes values, not positions; probe the shifts by event counts.
      if (!reproduced && size && (await mostRowsDiffer(context))) {
        const probed = (await probeShifts(context, size)).filter((s) => !shifts.slice(0, 8).includes(s));
        if (probed.length)
          reproduced = await reproduceBest(context, await timeHypotheses(context, probed, size));
      }
      if (reproduced) findings.push(reproduced);
    }
    if (shifted) findings.push(shifted);
    if (phase && phase.offsetMs !== 0) findings.push(await phaseFinding(context, phase));
    return findings;
  },
});

/** At least half of all (key, window) rows differ: the precondition of the shift probe. */
async function mostRowsDiffer(context: CheckContext): Promise<boolean> {
  const row = (
    await context.session.rows(
      `SELECT count(*) AS n, count(*) FILTER (WHERE __status <> 'match') AS d FROM ${quoteIdent(context.joined.table)}`,
    )
  )[0]!;
  return Number(row.d) * 2 >= Number(row.n);
}

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

/** Output only: the rows that line up once one side's windows are moved by a constant. */
async function outputShift(context: CheckContext, found: number[]): Promise<Finding | undefined> {
  const { session, joined } = context;
  const keys = joined.keyColumns;
  const times = joined.timeColumns;
  if (times.length === 0) return undefined;
  const leftTypes = new Map((await session.columnsOf(joined.left.table)).map((c) => [c.name, c.type]));
  const rightTypes = new Map((await session.columnsOf(joined.right.table)).map((c) => [c.name, c.type]));
  if (!times.every((t) => isTimeType(leftTypes.get(t)) && isTimeType(rightTypes.get(t)))) return undefined;

  const first = col(undefined, times[0]!);
  const keyList = keys.map((k) => col(undefined, k)).join(', ');
  const earliest = (status: string) =>
    `SELECT ${keyList}, min(${epochUs(first)}) AS __m FROM ${context.remaining} WHERE __status <> '${status}' GROUP BY ALL`;
  const candidates = await session.rows(
    `SELECT r.__m - l.__m AS shift, count(*) AS keys
       FROM (${earliest('only_right')}) AS l JOIN (${earliest('only_left')}) AS r
         ON ${keys.map((k) => `${col('l', k)} IS NOT DISTINCT FROM ${col('r', k)}`).join(' AND ')}
       WHERE r.__m <> l.__m
       GROUP BY r.__m - l.__m ORDER BY keys DESC, abs(shift), shift LIMIT ${CANDIDATES}`,
  );
  if (candidates.length === 0) return undefined;
  for (const c of candidates) found.push(Number(BigInt(c.shift as bigint | number)) / 1000);
  const remaining = Number(await session.scalar(`SELECT count(*) FROM ${context.remaining}`));

  let best: { shiftUs: bigint; table: string; rows: number; keys: number } | undefined;
  for (const [i, candidate] of candidates.entries()) {
    const shiftUs = BigInt(candidate.shift as bigint | number);
    const table = await verifyShift(context, shiftUs, leftTypes, rightTypes, i);
    const rows = Number(await session.scalar(`SELECT count(*) FROM ${table}`));
    if (!best || rows > best.rows) best = { shiftUs, table, rows, keys: Number(candidate.keys) };
  }
  if (!best || best.rows < 2 || best.rows < MIN_SHARE * remaining) return undefined;

  const shiftMs = Number(best.shiftUs) / 1000;
  const shift = durationText(shiftMs);
  const wholeHours = shiftMs % 3_600_000 === 0;
  const { left, right } = context.labels;
  return {
    tier: 'consistent',
    rows: best.table,
    message:
      `the ${right}'s windows are the ${left}'s shifted by ${shift}: ${plural(best.rows, 'differing row')} ${agree(best.rows, 'lines', 'line')} up once shifted` +
      (wholeHours
        ? ' — a whole number of hours suggests a time-zone bug (windows computed in local time instead of UTC)'
        : '') +
      (context.log ? '' : '; `replay` with the event log can confirm it'),
    evidence: {
      shift,
      shift_ms: shiftMs,
      whole_hours: wholeHours,
      later_side: shiftMs > 0 ? right : left,
      keys_with_this_shift: best.keys,
      rows_explained: best.rows,
    },
  };
}

/** Windows cut at another phase: a zone signal even when no row lines up after a shift. */
async function phaseFinding(context: CheckContext, phase: WindowPhase): Promise<Finding> {
  const { left, right } = context.labels;
  const shifts = shiftsForPhase(phase);
  const column = context.joined.timeColumns[0]!;
  const zones = context.log
    ? await zonesWithOffset(context, quoteIdent(context.log.relation), context.log.timeColumn, shifts)
    : await zonesWithOffset(context, quoteIdent(context.joined.left.table), column, shifts);
  const rows = context.temp('phase');
  await context.session.run(
    `CREATE OR REPLACE TEMP TABLE ${rows} AS SELECT __row FROM ${context.rows} WHERE __status <> 'mismatch'`,
  );
  const at = (ms: number) => durationText(ms).replace(/^\+/, '');
  const offsets = shifts.map(durationText);
  return {
    tier: 'consistent',
    rows,
    message:
      `the ${right}'s windows start at ${at(phase.rightMs)} past each window length and the ${left}'s at ${at(phase.leftMs)}: ` +
      `windows cut at the bounds of another time zone (offset ${offsets.length ? listText(offsets) : durationText(phase.offsetMs)}` +
      `${zones.length ? `, e.g. ${listText(zones)}` : ''})${context.log ? '' : ' — `replay` with the event log can confirm it'}`,
    evidence: {
      window_ms: phase.sizeMs,
      [`${left}_phase_ms`]: phase.leftMs,
      [`${right}_phase_ms`]: phase.rightMs,
      zone_offsets: offsets,
      zones,
    },
  };
}
