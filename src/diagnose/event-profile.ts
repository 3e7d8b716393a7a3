// What the first-divergent events share that the log's events mostly do not: per column, how
// often a predicate holds among them and among all events (IS NULL, the most common value, on a
// window bound, a value repeated in the log, a string that trim/lower-case or a cast to a number
// changes). A predicate far more common among them is a lead, `consistent` evidence: a
// correlation, not a recomputation. All counting is DuckDB SQL; values never leave it on the way (the most common
// value is compared through a subquery, not spliced into SQL).
import { familyOf } from '../diff/family.js';
import { jsonValue } from '../diff/json-value.js';
import type { EventPredicate } from '../diff/types.js';
import { type ColumnInfo, quoteIdent, type Session } from '../io/index.js';
import type { ReplayedLog } from '../replay/replayed-log.js';
import { int, percent, valueText } from './describe.js';

export interface ProfileInput {
  /** The first-divergent events: `__sample`, `__seq`, then the log's columns. */
  firstTable: string;
  /** The sampled rows with their bounds `__ws`, `__we`, joined on `__sample`. */
  sampleTable: string;
  log: ReplayedLog;
  columns: ColumnInfo[];
  /** The windows' length, ms, when known. */
  windowMs?: number;
}

/** The least share among first-divergent events, and how much more common than in the log. */
const MIN_SHARE = 0.25;
const MIN_LIFT = 2;
const MAX_FINDINGS = 6;
/** A column is id-like when most of its values are distinct. */
const ID_LIKE_DISTINCT = 0.5;

interface Count {
  column: string;
  predicate: EventPredicate['predicate'];
  value?: unknown;
  n: number;
  all: number;
}

export async function profileEvents(session: Session, input: ProfileInput): Promise<EventPredicate[]> {
  const first = quoteIdent(input.firstTable);
  const log = quoteIdent(input.log.relation);
  const m = Number(await session.scalar(`SELECT count(*) FROM ${first}`));
  if (m < 2) return [];
  const total = Number(await session.scalar(`SELECT count(*) FROM ${log}`));
  if (total === 0) return [];
  // The first-divergent side first (a few rows): a predicate rare among them cannot be a lead,
  // so the log is scanned once, for the others only.
  let counts: Count[];
  try {
    const candidates = [
      ...(await nullsAndCase(session, input, first)),
      ...(await commonValues(session, input, first)),
      ...(await onBound(session, input, first)),
    ].filter((c) => frequent(c.n, m));
    counts = [
      ...(await countInLog(session, log, candidates)),
      ...(await repeatedValues(session, input, { first, log, m, total })),
    ];
  } finally {
    await session.run(`DROP TABLE IF EXISTS ${CONSTANTS}`);
  }
  return counts
    .filter((c) => frequent(c.n, m) && c.n / m >= MIN_LIFT * (c.all / total))
    .sort((a, b) => b.n / m - b.all / total - (a.n / m - a.all / total) || a.column.localeCompare(b.column))
    .slice(0, MAX_FINDINGS)
    .map((c) => predicate(c, m, total));
}

/** Whether `n` of the `m` first-divergent events are enough for a lead, whatever the log holds. */
function frequent(n: number, m: number): boolean {
  return n >= 2 && n / m >= MIN_SHARE;
}

/** A predicate counted among the first-divergent events; `sql` counts it over the log (alias `e`, with `k` the one row of constants). */
interface Candidate {
  column: string;
  predicate: Count['predicate'];
  value?: unknown;
  n: number;
  sql: string;
}

/**
 * Counts the candidates' predicates over the log in one scan. Values found among the
 * first-divergent events (the most common ones, the windows' phase) reach it through a one-row
 * table, never spliced into SQL.
 */
async function countInLog(session: Session, log: string, candidates: Candidate[]): Promise<Count[]> {
  if (candidates.length === 0) return [];
  const [all] = await session.rows(
    `SELECT ${candidates.map((c, i) => `${c.sql} AS p${i}`).join(', ')} FROM ${log} AS e, ${CONSTANTS} AS k`,
  );
  return candidates.map(({ sql: _, ...c }, i) => ({ ...c, all: Number(all?.[`p${i}`] ?? 0) }));
}

/** One row: the most common value of each column among the first-divergent events (`v<i>`), the windows' phase (`phase`). */
const CONSTANTS = '__fd_profile_constants';

function predicate(c: Count, m: number, total: number): EventPredicate {
  const name = c.column;
  const what = {
    is_null: `${name} IS NULL`,
    equals: `${name} = ${valueText(c.value)}`,
    on_window_bound: `${name} on a window bound`,
    repeated_value: `${name} repeated in the log`,
    changes_under_trim_or_case: `${name} changed by trim/lower-case`,
    changes_under_cast: `${name} changed by a cast to a number (e.g. leading zeros)`,
  }[c.predicate];
  return {
    column: name,
    predicate: c.predicate,
    ...(c.predicate === 'equals' ? { value: jsonValue(c.value) } : {}),
    first_divergent: c.n,
    of: m,
    log_events: c.all,
    log_total: total,
    tier: 'consistent',
    message: `${what} in ${int(c.n)} of ${int(m)} first-divergent events vs ${percent(c.all / total)} of all events`,
  };
}

const isNested = (type: string) => /[[\]]|STRUCT|MAP|UNION/i.test(type);

async function nullsAndCase(session: Session, input: ProfileInput, first: string): Promise<Candidate[]> {
  const parts: Omit<Candidate, 'n'>[] = [];
  for (const c of input.columns) {
    const name = `e.${quoteIdent(c.name)}`;
    parts.push({ column: c.name, predicate: 'is_null', sql: `count(*) FILTER (WHERE ${name} IS NULL)` });
    if (c.type === 'VARCHAR') {
      parts.push({
        column: c.name,
        predicate: 'changes_under_trim_or_case',
        sql: `count(*) FILTER (WHERE ${name} <> lower(trim(${name})))`,
      });
      // "007" read as the number 7: a key that a cast changes.
      parts.push({
        column: c.name,
        predicate: 'changes_under_cast',
        sql: `count(*) FILTER (WHERE TRY_CAST(trim(${name}) AS HUGEINT) IS NOT NULL AND CAST(TRY_CAST(trim(${name}) AS HUGEINT) AS VARCHAR) <> ${name})`,
      });
    }
  }
  const [mine] = await session.rows(
    `SELECT ${parts.map((p, i) => `${p.sql} AS p${i}`).join(', ')} FROM ${first} AS e`,
  );
  return parts.map((p, i) => ({ ...p, n: Number(mine?.[`p${i}`] ?? 0) }));
}

/**
 * The most common value of each column among the first-divergent events (kept in the constants
 * table, with the windows' phase, for the count over the log).
 */
async function commonValues(session: Session, input: ProfileInput, first: string): Promise<Candidate[]> {
  const columns = input.columns.filter((c) => {
    const family = familyOf(c.type);
    return !isNested(c.type) && family !== 'timestamp' && family !== 'date';
  });
  const modes = columns.map((c, i) => {
    const name = quoteIdent(c.name);
    return `(SELECT {'v': ${name}, 'n': count(*)} FROM ${first} WHERE ${name} IS NOT NULL
             GROUP BY ${name} ORDER BY count(*) DESC, ${name} LIMIT 1) AS m${i}`;
  });
  const phase = await windowPhase(input);
  await session.run(
    `CREATE OR REPLACE TABLE ${CONSTANTS} AS SELECT ${[...modes, `${phase} AS phase`].join(', ')}`,
  );
  const [row] = await session.rows(`SELECT * EXCLUDE (phase) FROM ${CONSTANTS}`);
  const candidates: Candidate[] = [];
  for (const [i, c] of columns.entries()) {
    const mode = row?.[`m${i}`] as { v: unknown; n: unknown } | null | undefined;
    if (!mode) continue;
    candidates.push({
      column: c.name,
      predicate: 'equals',
      value: mode.v,
      n: Number(mode.n),
      sql: `count(*) FILTER (WHERE e.${quoteIdent(c.name)} = k.m${i}.v)`,
    });
  }
  return candidates;
}

/** The phase of the windows' grid, as SQL over the sample: windows cut at 18:30 UTC (a UTC+5:30 midnight) have their bounds there. */
async function windowPhase(input: ProfileInput): Promise<string> {
  const size = input.windowMs;
  if (!size || !Number.isSafeInteger(size)) return 'NULL::BIGINT';
  return `(SELECT epoch_ms(__ws) % ${size} FROM ${quoteIdent(input.sampleTable)} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)`;
}

/** Events exactly on their window's start or end, against log events on the grid of the windows. */
async function onBound(session: Session, input: ProfileInput, first: string): Promise<Candidate[]> {
  const size = input.windowMs;
  if (!size || !Number.isSafeInteger(size)) return [];
  const time = quoteIdent(input.log.timeColumn);
  const n = await session.scalar(
    `SELECT count(*) FROM ${first} AS f JOIN ${quoteIdent(input.sampleTable)} AS s USING (__sample)
     WHERE CAST(f.${time} AS TIMESTAMP) = s.__ws OR CAST(f.${time} AS TIMESTAMP) = s.__we`,
  );
  const t = `epoch_ms(CAST(e.${time} AS TIMESTAMP))`;
  return [
    {
      column: input.log.timeColumn,
      predicate: 'on_window_bound',
      n: Number(n),
      sql: `count(*) FILTER (WHERE ((${t} - k.phase) % ${size} + ${size}) % ${size} = 0)`,
    },
  ];
}

/**
 * For id-like columns (most values distinct): events whose value occurs more than once in the
 * log. The first-divergent side is counted first, through their own values only; the log's side
 * only when that makes a lead.
 */
async function repeatedValues(
  session: Session,
  input: ProfileInput,
  on: { first: string; log: string; m: number; total: number },
): Promise<Count[]> {
  const { first, log, m, total } = on;
  const candidates = input.columns.filter((c) => !isNested(c.type) && c.name !== input.log.timeColumn);
  if (candidates.length === 0) return [];
  const [distinct] = await session.rows(
    `SELECT ${candidates.map((c, i) => `approx_count_distinct(${quoteIdent(c.name)}) AS d${i}`).join(', ')} FROM ${log}`,
  );
  const counts: Count[] = [];
  for (const [i, c] of candidates.entries()) {
    if (Number(distinct?.[`d${i}`] ?? 0) < ID_LIKE_DISTINCT * total) continue;
    const name = quoteIdent(c.name);
    const n = Number(
      await session.scalar(
        `WITH seen AS (SELECT ${name} AS v, count(*) AS times FROM ${log}
                       WHERE ${name} IN (SELECT ${name} FROM ${first}) GROUP BY 1)
         SELECT count(*) FROM ${first} AS f JOIN seen ON f.${name} = seen.v WHERE seen.times > 1`,
      ),
    );
    if (!frequent(n, m)) continue;
    const all = await session.scalar(
      `WITH repeated AS (SELECT ${name} AS v FROM ${log} WHERE ${name} IS NOT NULL GROUP BY 1 HAVING count(*) > 1)
       SELECT count(*) FROM ${log} WHERE ${name} IN (SELECT v FROM repeated)`,
    );
    counts.push({ column: c.name, predicate: 'repeated_value', n, all: Number(all ?? 0) });
  }
  return counts;
}
