// First divergent event (issue #10): for a seeded sample of differing (key, window) rows, the
// window's events (of that key, in event-time order) are replayed through a fresh instance of the
// stream and the batch SQL, prefix by prefix, bisecting to the first event after which the two
// sides disagree; then those events are profiled against the whole log (event-profile.ts). The
// sampled windows of distinct keys are bisected together, one replay per bisection step.
// Bisection assumes that once a prefix disagrees, longer ones do too — true of the usual bugs (an
// event counted, skipped or moved); otherwise the event found is one after which they disagree.
import type { JoinedRows } from '../diff/engine.js';
import { jsonValue } from '../diff/json-value.js';
import { DEFAULT_TOLERANCE } from '../diff/tolerance.js';
import type {
  Diagnosis,
  DiffResult,
  FirstDivergence,
  FirstDivergentEvent,
  Tolerance,
} from '../diff/types.js';
import { InputError, UserCodeError } from '../errors.js';
import { quoteIdent, type Session } from '../io/index.js';
import type { ReplayedLog } from '../replay/replayed-log.js';
import { windowBounds } from './bounds.js';
import { profileEvents } from './event-profile.js';
import { disagreementsAfter, PROBE_TABLES, type ProbeSetup, stopProbes } from './prefix-replay.js';
import { keysMatch } from './sql.js';

export interface FirstDivergenceOptions {
  /** Differing rows to bisect (default 50; 0 turns it off). */
  sampleSize?: number;
  /** Seed of the row sample (default 0): the same seed picks the same rows. */
  seed?: number;
  tolerance?: Tolerance;
  featureTolerances?: Record<string, Tolerance>;
}

export const DEFAULT_BISECT_SAMPLE = 50;
const SAMPLE = '__fd_sample';
const EVENTS = '__fd_events';
const FIRST = '__fd_first';

type Inspect = (joined: JoinedRows) => Promise<Diagnosis[]>;

/**
 * Wires the bisection into a replay: `wrap` runs it alongside the given inspect hook (the
 * diagnosis) on the same joined rows, `attach` puts what it found into the replay's result.
 */
export function firstDivergenceProbe(options: FirstDivergenceOptions = {}) {
  let found: FirstDivergence | undefined;
  return {
    wrap(inspect: Inspect | undefined, log: ReplayedLog): Inspect {
      return async (joined) => {
        // The bisection runs alongside the diagnosis, on a connection of its own (its replay
        // worker and sandbox keep the second core busy while the diagnosis's queries wait).
        const bisect = await sampleForBisection(joined, log, options);
        const [diagnosis, bisection] = await Promise.allSettled([inspect ? inspect(joined) : [], bisect?.()]);
        if (diagnosis.status === 'rejected') throw diagnosis.reason;
        if (bisection.status === 'rejected') throw bisection.reason;
        found = bisection.value;
        return diagnosis.value;
      };
    },
    attach(result: DiffResult): DiffResult {
      if (found) result.first_divergence = found;
      return result;
    },
  };
}

type Bisection = () => Promise<FirstDivergence | undefined>;

/**
 * The bisection's first step, on the joined rows' own connection (they are a TEMP table of it):
 * the seeded sample of differing rows. The function it returns does the rest on a connection of
 * its own, so that it can run while the diagnosis uses the first one; undefined when there is
 * nothing to bisect.
 */
export async function sampleForBisection(
  joined: JoinedRows,
  log: ReplayedLog,
  options: FirstDivergenceOptions = {},
): Promise<Bisection | undefined> {
  const size = options.sampleSize ?? DEFAULT_BISECT_SAMPLE;
  if (size <= 0) return undefined;
  const types = new Map((await joined.session.columnsOf(joined.table)).map((c) => [c.name, c.type]));
  const bounds = windowBounds(joined, types, log.window);
  if (bounds.end === 'NULL') return undefined;
  let sampled = 0;
  try {
    sampled = await sampleRows(joined, bounds, size, options.seed ?? 0);
  } finally {
    if (sampled === 0) await joined.session.run(`DROP TABLE IF EXISTS ${SAMPLE}`);
  }
  if (sampled === 0) return undefined;
  return async () => {
    const session = await joined.session.fork();
    try {
      return await bisectSample({ ...joined, session }, log, sampled, options);
    } finally {
      session.close();
    }
  };
}

/** Bisects the sampled rows (`SAMPLE`) and profiles their first divergent events. */
async function bisectSample(
  joined: JoinedRows,
  log: ReplayedLog,
  sampled: number,
  options: FirstDivergenceOptions,
): Promise<FirstDivergence> {
  const { session } = joined;
  let setup: ProbeSetup | undefined;
  try {
    setup = await selectEvents(joined, log, options);
    const counts = await eventCounts(session);
    const outcome: FirstDivergence = {
      sampled,
      agree_alone: 0,
      without_events: 0,
      failed: 0,
      events: [],
      profile: [],
    };
    const positions = new Map<number, number>();
    const started = performance.now();
    outcome.without_events = sampled - counts.size;
    for (const round of await keyRounds(session, joined.keyColumns, counts)) {
      for (const [sample, position] of await bisectOrIsolate(setup, round, counts, outcome)) {
        if (position === undefined) outcome.agree_alone++;
        else positions.set(sample, position);
      }
    }
    // Timings on stderr with SKEWCHECK_DEBUG, like the replay phases (never in the result).
    if (process.env.SKEWCHECK_DEBUG) {
      const ms = (performance.now() - started).toFixed(0);
      process.stderr.write(
        `[skewcheck] first divergence: ${setup.probes} probes of ${sampled} rows in ${ms} ms\n`,
      );
    }
    outcome.events = await collectEvents(setup, positions, counts);
    outcome.profile = await profileEvents(session, {
      firstTable: FIRST,
      sampleTable: SAMPLE,
      log,
      columns: setup.eventColumns,
      windowMs: await windowLength(session),
    });
    return outcome;
  } finally {
    if (setup) stopProbes(setup);
    for (const name of [SAMPLE, EVENTS, FIRST, ...PROBE_TABLES]) {
      // The stream's output is a view over a table of its own; which is which does not matter here.
      await session.run(`DROP VIEW IF EXISTS ${name}`).catch(() => undefined);
      await session.run(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
    }
  }
}

/** The seeded sample of differing rows with their window bounds; returns how many. */
async function sampleRows(
  joined: JoinedRows,
  bounds: { start: string; end: string },
  size: number,
  seed: number,
): Promise<number> {
  const align = [...joined.keyColumns, ...joined.timeColumns].map((c) => quoteIdent(c));
  await joined.session.run(
    `CREATE OR REPLACE TABLE ${SAMPLE} AS
     SELECT row_number() OVER (ORDER BY __h, ${align.join(', ')}) AS __sample, * EXCLUDE (__h) FROM (
       SELECT ${align.join(', ')}, ${bounds.start} AS __ws, ${bounds.end} AS __we,
         hash(${[...align, String(Math.trunc(seed))].join(', ')}) AS __h
       FROM ${quoteIdent(joined.table)} WHERE __status <> 'match'
       ORDER BY __h, ${align.join(', ')} LIMIT ${Math.trunc(size)})`,
  );
  return Number(await joined.session.scalar(`SELECT count(*) FROM ${SAMPLE}`));
}

/** Each sampled row's events: its key's events with a time in [start, end], numbered in time order. */
async function selectEvents(
  joined: JoinedRows,
  log: ReplayedLog,
  options: FirstDivergenceOptions,
): Promise<ProbeSetup> {
  const { session } = joined;
  const eventColumns = await session.columnsOf(log.relation);
  const eventTypes = new Map(eventColumns.map((c) => [c.name, c.type]));
  const sampleTypes = new Map((await session.columnsOf(SAMPLE)).map((c) => [c.name, c.type]));
  const time = `e.${quoteIdent(log.timeColumn)}`;
  const order = [time, ...eventColumns.map((c) => `e.${quoteIdent(c.name)}`)].join(', ');
  const keys = keysMatch(
    joined.keyColumns,
    { alias: 'e', types: eventTypes },
    { alias: 's', types: sampleTypes },
  );
  await session.run(
    `CREATE OR REPLACE TABLE ${EVENTS} AS
     SELECT s.__sample, row_number() OVER (PARTITION BY s.__sample ORDER BY ${order}) AS __seq, e.*
     FROM ${quoteIdent(log.relation)} AS e JOIN ${SAMPLE} AS s
       ON ${keys} AND CAST(${time} AS TIMESTAMP) >= s.__ws AND CAST(${time} AS TIMESTAMP) <= s.__we`,
  );
  const base = options.tolerance ?? DEFAULT_TOLERANCE;
  return {
    session,
    log,
    eventColumns,
    eventsTable: EVENTS,
    sampleTable: SAMPLE,
    alignColumns: [...joined.keyColumns, ...joined.timeColumns],
    features: joined.features
      .filter((f) => f.status === 'compared')
      .map((f) => ({
        name: f.name,
        tolerance: f.numeric ? (options.featureTolerances?.[f.name] ?? base) : null,
      })),
    probes: 0,
  };
}

async function eventCounts(session: Session): Promise<Map<number, number>> {
  const rows = await session.rows(`SELECT __sample, count(*) AS n FROM ${EVENTS} GROUP BY 1`);
  return new Map(rows.map((r) => [Number(r.__sample), Number(r.n)]));
}

/**
 * Samples in rounds that bisect together: no two samples of a round share a key, so one replay
 * of the round's events cannot carry one window's state into another's.
 */
async function keyRounds(
  session: Session,
  keyColumns: string[],
  counts: Map<number, number>,
): Promise<number[][]> {
  const partition =
    keyColumns.length > 0 ? `PARTITION BY ${keyColumns.map((k) => quoteIdent(k)).join(', ')}` : '';
  const rows = await session.rows(
    `SELECT __sample, row_number() OVER (${partition} ORDER BY __sample) AS round FROM ${SAMPLE} ORDER BY round, __sample`,
  );
  const rounds = new Map<number, number[]>();
  for (const row of rows) {
    const sample = Number(row.__sample);
    if (!counts.has(sample)) continue;
    const round = Number(row.round);
    rounds.set(round, [...(rounds.get(round) ?? []), sample]);
  }
  return [...rounds.values()];
}

/**
 * Bisect a round; when a probe fails (the module threw or the SQL failed on a prefix), bisect
 * its samples one by one, so that one failing window does not hide the others. A sample that
 * fails alone is counted in `failed` and left out: the replay itself reported nothing of the kind.
 */
async function bisectOrIsolate(
  setup: ProbeSetup,
  round: number[],
  counts: Map<number, number>,
  outcome: FirstDivergence,
): Promise<Map<number, number | undefined>> {
  try {
    return await bisectRound(setup, round, counts);
  } catch (error) {
    // Only the user's code and SQL may fail on a prefix; anything else is a bug to report.
    if (!(error instanceof UserCodeError || error instanceof InputError)) throw error;
    if (round.length === 1) {
      outcome.failed++;
      return new Map();
    }
    const found = new Map<number, number | undefined>();
    for (const sample of round) {
      for (const entry of await bisectOrIsolate(setup, [sample], counts, outcome)) found.set(...entry);
    }
    return found;
  }
}

/**
 * For each sample, the 1-based position of the first event after which its row disagrees, or
 * undefined when all its events agree; every probe covers every sample still being bisected.
 */
async function bisectRound(
  setup: ProbeSetup,
  samples: number[],
  counts: Map<number, number>,
): Promise<Map<number, number | undefined>> {
  const full = await disagreementsAfter(setup, new Map(samples.map((s) => [s, counts.get(s)!])));
  const ranges = new Map([...full].map((s) => [s, { agree: 0, disagree: counts.get(s)! }]));
  for (;;) {
    const mids = new Map(
      [...ranges]
        .filter(([, r]) => r.disagree - r.agree > 1)
        .map(([s, r]) => [s, Math.floor((r.agree + r.disagree) / 2)]),
    );
    if (mids.size === 0) break;
    const differing = await disagreementsAfter(setup, mids);
    for (const [s, mid] of mids) {
      const range = ranges.get(s)!;
      if (differing.has(s)) range.disagree = mid;
      else range.agree = mid;
    }
  }
  return new Map(samples.map((s) => [s, ranges.get(s)?.disagree]));
}

/** The first-divergent events into FIRST (for the profile) and as JSON (for the result). */
async function collectEvents(
  setup: ProbeSetup,
  positions: Map<number, number>,
  counts: Map<number, number>,
): Promise<FirstDivergentEvent[]> {
  const { session } = setup;
  await session.run(`CREATE OR REPLACE TABLE ${FIRST} AS SELECT * FROM ${EVENTS} WHERE false`);
  const pairs = [...positions].map(([sample, seq]) => `(${sample}, ${seq})`);
  if (pairs.length > 0) {
    await session.run(
      `INSERT INTO ${FIRST} SELECT e.* FROM ${EVENTS} AS e
       JOIN (VALUES ${pairs.join(', ')}) AS p(sample, seq) ON e.__sample = p.sample AND e.__seq = p.seq`,
    );
  }
  const rows = await session.rows(
    `SELECT f.*, ${setup.alignColumns.map((c, i) => `s.${quoteIdent(c)} AS __align_${i}`).join(', ')}
     FROM ${FIRST} AS f JOIN ${SAMPLE} AS s USING (__sample) ORDER BY f.__sample`,
  );
  const keyCount = setup.log.keyColumns.length;
  return rows.map((row) => {
    const align = setup.alignColumns.map((c, i) => [c, jsonValue(row[`__align_${i}`])] as const);
    return {
      key: Object.fromEntries(align.slice(0, keyCount)),
      window: Object.fromEntries(align.slice(keyCount)),
      position: Number(row.__seq),
      window_events: counts.get(Number(row.__sample)) ?? 0,
      event: Object.fromEntries(setup.eventColumns.map((c) => [c.name, jsonValue(row[c.name])])),
    };
  });
}

/** The most common window length of the sampled rows, ms (for "on a window bound"). */
async function windowLength(session: Session): Promise<number | undefined> {
  const value = await session.scalar(
    `SELECT epoch_ms(__we) - epoch_ms(__ws) AS ms FROM ${SAMPLE} WHERE __we > __ws
     GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  return value === null || value === undefined ? undefined : Number(value);
}
