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
  const counts = [
    ...(await nullsAndCase(session, input, first, log)),
    ...(await commonValues(session, input, first, log)),
    ...(await onBound(session, input, first, log)),
    ...(await repeatedValues(session, input, first, log, total)),
  ];
  return counts
    .filter((c) => c.n >= 2 && c.n / m >= MIN_SHARE && c.n / m >= MIN_LIFT * (c.all / total))
    .sort((a, b) => b.n / m - b.all / total - (a.n / m - a.all / total) || a.column.localeCompare(b.column))
    .slice(0, MAX_FINDINGS)
    .map((c) => predicate(c, m, total));
}

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

async function nullsAndCase(
  session: Session,
  input: ProfileInput,
  first: string,
  log: string,
): Promise<Count[]> {
  const parts: { column: string; predicate: Count['predicate']; sql: string }[] = [];
  for (const c of input.columns) {
    const name = quoteIdent(c.name);
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
  const select = parts.map((p, i) => `${p.sql} AS p${i}`).join(', ');
  const [mine] = await session.rows(`SELECT ${select} FROM ${first}`);
  const [all] = await session.rows(`SELECT ${select} FROM ${log}`);
  return parts.map((p, i) => ({
    column: p.column,
    predicate: p.predicate,
    n: Number(mine?.[`p${i}`] ?? 0),
    all: Number(all?.[`p${i}`] ?? 0),
  }));
}

/** The most common value of each column among the first-divergent events, and its count in the log. */
async function commonValues(
  session: Session,
  input: ProfileInput,
  first: string,
  log: string,
): Promise<Count[]> {
  const counts: Count[] = [];
  for (const c of input.columns) {
    const family = familyOf(c.type);
    if (isNested(c.type) || family === 'timestamp' || family === 'date') continue;
    const name = quoteIdent(c.name);
    const rows = await session.rows(
      `WITH mode AS (
         SELECT ${name} AS v, count(*) AS n FROM ${first} WHERE ${name} IS NOT NULL
         GROUP BY 1 ORDER BY n DESC, v LIMIT 1)
       SELECT mode.v, mode.n, (SELECT count(*) FROM ${log} AS e WHERE e.${name} = mode.v) AS all_n FROM mode`,
    );
    const row = rows[0];
    if (row)
      counts.push({
        column: c.name,
        predicate: 'equals',
        value: row.v,
        n: Number(row.n),
        all: Number(row.all_n),
      });
  }
  return counts;
}

/** Events exactly on their window's start or end, against log events on the grid of the windows. */
async function onBound(session: Session, input: ProfileInput, first: string, log: string): Promise<Count[]> {
  const size = input.windowMs;
  if (!size || !Number.isSafeInteger(size)) return [];
  const time = quoteIdent(input.log.timeColumn);
  const sample = quoteIdent(input.sampleTable);
  const n = await session.scalar(
    `SELECT count(*) FROM ${first} AS f JOIN ${sample} AS s USING (__sample)
     WHERE CAST(f.${time} AS TIMESTAMP) = s.__ws OR CAST(f.${time} AS TIMESTAMP) = s.__we`,
  );
  // The grid's phase: windows cut at 18:30 UTC (a UTC+5:30 midnight) have their bounds there.
  const all = await session.scalar(
    `WITH phase AS (
       SELECT epoch_ms(__ws) % ${size} AS p FROM ${sample} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
     SELECT count(*) FROM ${log}, phase
     WHERE ((epoch_ms(CAST(${time} AS TIMESTAMP)) - phase.p) % ${size} + ${size}) % ${size} = 0`,
  );
  return [
    { column: input.log.timeColumn, predicate: 'on_window_bound', n: Number(n), all: Number(all ?? 0) },
  ];
}

/** For id-like columns: events whose value occurs more than once in the log. */
async function repeatedValues(
  session: Session,
  input: ProfileInput,
  first: string,
  log: string,
  total: number,
): Promise<Count[]> {
  const candidates = input.columns.filter((c) => !isNested(c.type) && c.name !== input.log.timeColumn);
  if (candidates.length === 0 || total === 0) return [];
  const [distinct] = await session.rows(
    `SELECT ${candidates.map((c, i) => `approx_count_distinct(${quoteIdent(c.name)}) AS d${i}`).join(', ')} FROM ${log}`,
  );
  const counts: Count[] = [];
  for (const [i, c] of candidates.entries()) {
    if (Number(distinct?.[`d${i}`] ?? 0) < ID_LIKE_DISTINCT * total) continue;
    const name = quoteIdent(c.name);
    const [row] = await session.rows(
      `WITH repeated AS (SELECT ${name} AS v FROM ${log} WHERE ${name} IS NOT NULL GROUP BY 1 HAVING count(*) > 1)
       SELECT (SELECT count(*) FROM ${first} WHERE ${name} IN (SELECT v FROM repeated)) AS n,
              (SELECT count(*) FROM ${log} WHERE ${name} IN (SELECT v FROM repeated)) AS all_n`,
    );
    counts.push({
      column: c.name,
      predicate: 'repeated_value',
      n: Number(row?.n ?? 0),
      all: Number(row?.all_n ?? 0),
    });
  }
  return counts;
}
