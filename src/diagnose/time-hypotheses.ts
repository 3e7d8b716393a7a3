// Time hypotheses for time_shift: the window phase of each side (window_start modulo the window
// length: windows cut at 18:30 UTC are midnight in UTC+5:30), the IANA zones whose offsets fit a
// shift, and the interventions that test them — every event time moved by a fixed shift, or
// read as wall-clock time in a named zone (DST included), windows labelled in local time or
// mapped back to UTC.
import { quoteIdent, quoteLiteral } from '../io/index.js';
import type { CheckContext } from './check.js';
import { durationText, listText } from './describe.js';
import type { Hypothesis } from './intervene.js';

const QUARTER_HOUR = 900_000;
const MAX_SHIFT = 14 * 3_600_000;
const MAX_ZONE_GROUPS = 6;
const ZONES_NAMED = 4;

export interface WindowPhase {
  sizeMs: number;
  leftMs: number;
  rightMs: number;
  /** right − left, in [0, size). */
  offsetMs: number;
}

const lengths = new WeakMap<object, Promise<number | undefined>>();
const phases = new WeakMap<object, Promise<WindowPhase | undefined>>();

/** The window length: the module's fixed window, else the most common window_end − window_start (once per run). */
export function windowLength(context: CheckContext): Promise<number | undefined> {
  const key = context.temp;
  if (!lengths.has(key)) lengths.set(key, measureWindowLength(context));
  return lengths.get(key)!;
}

async function measureWindowLength(context: CheckContext): Promise<number | undefined> {
  const window = context.log?.window;
  if (window && window.kind !== 'session') return window.kind === 'hopping' ? window.slideMs : window.sizeMs;
  if (!context.windowBounds) return undefined;
  const mode = await context.session.scalar(
    `SELECT mode(epoch_ms(__we) - epoch_ms(__ws)) FROM ${context.rows} WHERE __we IS NOT NULL`,
  );
  const ms = Number(mode);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** The most common window_start modulo the window length on each side (once per run). */
export function windowPhase(context: CheckContext, sizeMs: number): Promise<WindowPhase | undefined> {
  const key = context.temp;
  if (!phases.has(key)) phases.set(key, measureWindowPhase(context, sizeMs));
  return phases.get(key)!;
}

async function measureWindowPhase(context: CheckContext, sizeMs: number): Promise<WindowPhase | undefined> {
  const column = context.joined.timeColumns[0];
  if (!column) return undefined;
  const phase = async (table: string) =>
    Number(
      await context.session.scalar(
        `SELECT mode(((epoch_ms(CAST(${quoteIdent(column)} AS TIMESTAMP)) % ${sizeMs}) + ${sizeMs}) % ${sizeMs}) FROM ${quoteIdent(table)}`,
      ),
    );
  const leftMs = await phase(context.joined.left.table);
  const rightMs = await phase(context.joined.right.table);
  if (!Number.isFinite(leftMs) || !Number.isFinite(rightMs)) return undefined;
  return { sizeMs, leftMs, rightMs, offsetMs: (((rightMs - leftMs) % sizeMs) + sizeMs) % sizeMs };
}

/** Shifts s (multiples of 15 minutes within ±14 h) for which cutting at local time t + s gives that phase offset. */
export function shiftsForPhase(phase: WindowPhase): number[] {
  const shifts: number[] = [];
  if (phase.offsetMs === 0) return shifts;
  // Windows cut on t + s and labelled in UTC start at bucket(t + s) − s: phase −s (mod size).
  for (let s = -MAX_SHIFT; s <= MAX_SHIFT; s += QUARTER_HOUR) {
    if ((((-s - phase.offsetMs) % phase.sizeMs) + phase.sizeMs) % phase.sizeMs === 0) shifts.push(s);
  }
  return shifts;
}

export function isQuarterHourShift(ms: number): boolean {
  return ms !== 0 && ms % QUARTER_HOUR === 0 && Math.abs(ms) <= MAX_SHIFT;
}

interface ZoneGroup {
  zones: string[];
  offsets: number[];
}

/** IANA zones grouped by their offsets over the log's time span (ICU's zone data in DuckDB). */
async function zoneGroups(context: CheckContext, log: string, column: string): Promise<ZoneGroup[]> {
  const t = quoteIdent(column);
  try {
    const rows = await context.session.rows(
      `WITH span AS (SELECT min(${t})::TIMESTAMP AS lo, max(${t})::TIMESTAMP AS hi FROM ${log}),
        points AS (SELECT unnest(generate_series(lo, hi, greatest((hi - lo) / 60, INTERVAL 1 HOUR))) AS p FROM span),
        offsets AS (
          SELECT z.name, list(DISTINCT epoch_ms(timezone(z.name, timezone('UTC', p))) - epoch_ms(p) ORDER BY epoch_ms(timezone(z.name, timezone('UTC', p))) - epoch_ms(p)) AS offsets
          FROM pg_timezone_names() AS z, points GROUP BY z.name)
       SELECT offsets, list(name ORDER BY name) AS zones FROM offsets GROUP BY offsets ORDER BY offsets`,
    );
    return rows.map((r) => ({
      offsets: (r.offsets as unknown[]).map(Number),
      zones: (r.zones as unknown[]).map(String).filter((z) => z.includes('/') && !z.startsWith('Etc/')),
    }));
  } catch {
    return []; // no ICU time zones in this DuckDB build
  }
}

/** The zones (a few names) whose offset is always `shiftMs` over the log's span. */
export async function zonesWithOffset(
  context: CheckContext,
  relation: string,
  column: string,
  shifts: readonly number[],
): Promise<string[]> {
  const groups = await zoneGroups(context, relation, column);
  return groups
    .filter((g) => g.offsets.length === 1 && shifts.includes(g.offsets[0]!))
    .flatMap((g) => g.zones)
    .slice(0, ZONES_NAMED);
}

/** The zones (a few names) whose offsets over the span are exactly `offsets` (two: a DST zone's). */
export async function zonesWithOffsets(
  context: CheckContext,
  relation: string,
  column: string,
  offsets: readonly number[],
): Promise<string[]> {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const groups = await zoneGroups(context, relation, column);
  return groups
    .filter((g) => g.offsets.length === wanted.length && g.offsets.every((o, i) => o === wanted[i]))
    .flatMap((g) => g.zones)
    .slice(0, ZONES_NAMED);
}

const shiftExpr = (column: string, ms: number) => `(${column} + to_milliseconds(${ms}))`;

/**
 * The hypotheses to test: each candidate shift with windows labelled in local time, and (when the
 * shift is not a whole number of windows) labelled back in UTC; each group of DST zones whose
 * offsets over the log include a candidate, both labellings.
 */
export async function timeHypotheses(
  context: CheckContext,
  shifts: readonly number[],
  sizeMs: number | undefined,
): Promise<Hypothesis[]> {
  if (shifts.length === 0) return [];
  const log = context.log!;
  const recompute = context.recompute!;
  const t = quoteIdent(log.timeColumn);
  const events = Number(await context.session.scalar(`SELECT count(*) FROM ${recompute.log}`));
  const { right } = context.labels;
  const hypotheses: Hypothesis[] = [];
  const groups = await zoneGroups(context, recompute.log, log.timeColumn);
  for (const shift of shifts) {
    const zones = groups
      .filter((g) => g.offsets.length === 1 && g.offsets[0] === shift)
      .flatMap((g) => g.zones);
    const named = zones.length
      ? ` (${listText(zones.slice(0, ZONES_NAMED))}${zones.length > ZONES_NAMED ? ', …' : ''})`
      : '';
    const evidence = {
      shift: durationText(shift),
      shift_ms: shift,
      whole_hours: shift % 3_600_000 === 0,
      later_side: shift > 0 ? right : context.labels.left,
      zones: zones.slice(0, ZONES_NAMED),
    };
    const moved = (l: string) => `SELECT * REPLACE (${shiftExpr(t, shift)} AS ${t}) FROM ${l}`;
    hypotheses.push({
      intervention: { name: `shift ${durationText(shift)}, local labels`, events: moved, global: true },
      says: `the ${right} computes windows on event time ${durationText(shift)}${named} and labels them in that local time`,
      evidence: { ...evidence, labels: 'local' },
      change: events,
    });
    hypotheses.push({
      intervention: {
        name: `labels moved ${durationText(shift)}`,
        events: (l) => `SELECT * FROM ${l}`,
        window: (c) => shiftExpr(c, shift),
        global: true,
      },
      says: `the ${right} cuts the same windows and labels them ${durationText(shift)} off`,
      evidence: { ...evidence, labels: 'moved' },
      change: events,
    });
    if (sizeMs && shift % sizeMs !== 0) {
      hypotheses.push({
        intervention: {
          name: `shift ${durationText(shift)}, UTC labels`,
          events: moved,
          window: (c) => shiftExpr(c, -shift),
          global: true,
        },
        says: `the ${right} cuts windows at local bounds of UTC${durationText(shift)}${named} and labels them in UTC`,
        evidence: { ...evidence, labels: 'utc' },
        change: events,
      });
    }
  }
  const wanted = new Set(shifts);
  const dst = groups
    .filter((g) => g.offsets.length > 1 && g.zones.length > 0 && g.offsets.some((o) => wanted.has(o)))
    .sort((a, b) => b.zones.length - a.zones.length)
    .slice(0, MAX_ZONE_GROUPS);
  for (const group of dst) {
    const zone = quoteLiteral(group.zones[0]!);
    const local = (l: string) =>
      `SELECT * REPLACE (timezone(${zone}, timezone('UTC', ${t}::TIMESTAMP)) AS ${t}) FROM ${l}`;
    const names = listText(group.zones.slice(0, ZONES_NAMED));
    const evidence = { zones: group.zones.slice(0, ZONES_NAMED), offsets: group.offsets.map(durationText) };
    hypotheses.push(
      {
        intervention: { name: `zone ${group.zones[0]}, local labels`, events: local, global: true },
        says: `the ${right} computes windows on the wall-clock time of ${names} (DST included) and labels them in local time`,
        evidence: { ...evidence, labels: 'local' },
        change: events,
      },
      {
        intervention: {
          name: `zone ${group.zones[0]}, UTC labels`,
          events: local,
          window: (c) => `timezone('UTC', timezone(${zone}, CAST(${c} AS TIMESTAMP)))`,
          global: true,
        },
        says: `the ${right} cuts windows at wall-clock bounds of ${names} (DST included) and labels them in UTC`,
        evidence: { ...evidence, labels: 'utc' },
        change: events,
      },
    );
  }
  return hypotheses;
}

const PROBES = 3;

/**
 * Shifts worth recomputing when no window lines up after a move (windows of the same phase, e.g.
 * daily windows of a whole-hour zone): for every multiple of 15 minutes within ±14 h, count the
 * sampled events per key and shifted window (labelled in local time, or back in UTC) and count the
 * stream's rows whose value of some numeric feature is that count. The shifts with most such rows
 * are the candidates; only a recomputation under one of them can reproduce anything.
 */
export async function probeShifts(context: CheckContext, sizeMs: number): Promise<number[]> {
  const { joined, session } = context;
  const log = context.log!;
  const recompute = context.recompute!;
  const window = joined.timeColumns[0];
  const features = joined.features.filter((f) => f.numeric);
  if (!window || features.length === 0) return [];
  const t = `epoch_ms(CAST(${quoteIdent(log.timeColumn)} AS TIMESTAMP))`;
  const keys = joined.keyColumns;
  const keyText = (alias: string) => keys.map((k) => `CAST(${alias}.${quoteIdent(k)} AS VARCHAR)`);
  const local = `(${t} + s) - (((${t} + s) % ${sizeMs}) + ${sizeMs}) % ${sizeMs}`;
  const matches = features.map((f) => `CAST(r.${quoteIdent(f.name)} AS DOUBLE) = c.n`).join(' OR ');
  // Two equi-joins (window as it is, window moved back), not one join on an OR: DuckDB hashes
  // on the key and the window then, instead of comparing every shift with every row of a key.
  const sameKey = keys.map((_, i) => `r.k${i} = c.k${i}`).join(' AND ');
  const rows = await session.rows(
    `WITH shifts AS (SELECT s * ${QUARTER_HOUR} AS s FROM range(${-MAX_SHIFT / QUARTER_HOUR}, ${MAX_SHIFT / QUARTER_HOUR + 1}) t(s)),
      counts AS (
        SELECT s, ${keyText('e')
          .map((k, i) => `${k} AS k${i}`)
          .join(', ')}, ${local} AS b, count(*) AS n
        FROM ${recompute.log} AS e, shifts GROUP BY ALL),
      stream AS (
        SELECT ${keyText('r')
          .map((k, i) => `${k} AS k${i}`)
          .join(
            ', ',
          )}, epoch_ms(CAST(r.${quoteIdent(window)} AS TIMESTAMP)) AS w, ${features.map((f) => `r.${quoteIdent(f.name)}`).join(', ')}
        FROM ${quoteIdent(joined.right.table)} AS r
        WHERE (${keyText('r').join(', ')}) IN (SELECT (${keyText('x').join(', ')}) FROM ${recompute.log} AS x))
     SELECT s, sum(l) AS local, sum(u) AS utc FROM (
       SELECT c.s, count(*) AS l, 0 AS u
       FROM counts AS c JOIN stream AS r ON ${sameKey} AND r.w = c.b WHERE ${matches} GROUP BY c.s
       UNION ALL
       SELECT c.s, 0 AS l, count(*) AS u
       FROM counts AS c JOIN stream AS r ON ${sameKey} AND r.w = c.b - c.s WHERE ${matches} GROUP BY c.s)
     GROUP BY s ORDER BY greatest(sum(l), sum(u)) DESC, abs(s), s`,
  );
  // A shift must line up more counts than the windows as they are (shift 0): when the counts
  // already agree, another feature differs and no shift is worth a recomputation.
  const hits = (r: (typeof rows)[number]) => Math.max(Number(r.local), Number(r.utc));
  const unshifted = rows.find((r) => Number(r.s) === 0);
  const floor = unshifted ? hits(unshifted) : 0;
  return rows
    .filter((r) => Number(r.s) !== 0 && hits(r) > floor)
    .slice(0, PROBES)
    .map((r) => Number(r.s));
}
