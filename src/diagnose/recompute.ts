// Interventions (replay only): re-run the user's batch SQL over a transformed copy of the events
// of the keys involved in differing rows, and compare the result with both sides' rows under the
// run's tolerances (compare.ts). A differing row that agrees afterwards is *reproduced* by the
// hypothesis — when the hypothesis breaks no row that agreed, invents no row, and most differing
// rows it changes come to agree (else the agreement is an accident). The keys are sampled to a
// budget of events; the events of a sample are copied once and shared by every intervention.
import { quoteIdent } from '../io/index.js';
import type { CheckContext } from './check.js';
import { type Comparison, compareRecomputed, inScope, referenceRows, type ScopeKeys } from './compare.js';
import { SAMPLE_ABOVE_ROWS } from './extrapolate.js';
import { FencedBatchSql } from './fenced-sql.js';
import { col } from './sql.js';

/**
 * Events (of the sampled keys) each hypothesis is screened on: SCREEN_EVENTS; and when so many rows
 * differ that the verdict is carried to the others by pattern (SAMPLE_ABOVE_ROWS), only as many
 * as give about SCREEN_ROWS differing rows (a thousand rows judge a hypothesis as well as tens of
 * thousands, and every re-run and comparison costs in proportion), at least SCREEN_MIN_EVENTS.
 */
const SCREEN_EVENTS = 50_000;
const SCREEN_ROWS = 1_000;
const SCREEN_MIN_EVENTS = 2_000;
/** Events the best hypothesis of a check is then confirmed on (all involved keys, up to this). */
const CONFIRM_EVENTS = 2_000_000;
/** A hypothesis may break at most this share of the rows it fixes (rounding noise, not a wrong cause). */
const MAX_BROKEN_SHARE = 0.02;
/**
 * Of the differing rows an intervention changes, at least this share must agree afterwards: a
 * change that moves many rows and makes one agree has found a coincidence, not a cause.
 */
const MIN_PRECISION = 0.5;

export interface Intervention {
  /** A short name for tables and evidence, e.g. `null_amount_0`. */
  name: string;
  /** SELECT over the sampled log (`log` is its SQL relation) giving the transformed events. */
  events(log: string): string;
  /** The key as the transformed events carry it (default: unchanged): the rows it moves to are compared too. */
  key?(column: string): string;
  /** Maps a window column of the recomputed rows back, e.g. from local time to UTC. */
  window?(column: string): string;
  /**
   * A predicate on an event (its columns unqualified) that holds for every event the change
   * rewrites or removes: only the keys with such events are recomputed (the others cannot change).
   */
  touches?: string;
  /**
   * The change moves every event or every window (a time shift, a zone, labels moved): no event
   * pattern tells which rows outside a sample it explains, so it is carried to them by recomputing.
   */
  global?: boolean;
}

/** A comparison of the recomputed rows (compare.ts), and whether it counts as reproducing. */
export interface Reproduction extends Comparison {
  /**
   * Whether the hypothesis reproduces: some rows agree, it breaks (almost) none, and most differing
   * rows it changes come to agree.
   */
  accepted: boolean;
}

export interface Recompute {
  /** The differing rows whose keys hypotheses are screened on, confirmed on, and all differing rows. */
  sampledRows: number;
  confirmedRows: number;
  totalRows: number;
  /** SQL relation of the sampled log (a copy of the events of the sampled keys). */
  log: string;
  /** Table with `__row`: the differing rows of the sampled keys. */
  sampled: string;
  /** The name of the table holding the sampled log (in the database's main schema), for `log.relation`. */
  logTable: string;
  /** Set when rows outside the sample are judged by the winner's pattern: no wider confirmation. */
  byPattern: boolean;
  /**
   * On the screening sample, or with `confirm` on all involved keys (up to a larger budget);
   * undefined when the SQL cannot run on the transformed events.
   */
  reproduce(intervention: Intervention, confirm?: boolean): Promise<Reproduction | undefined>;
  /** Drops the tables it made (other connections see them, so they are not TEMP). */
  close(): Promise<void>;
}

interface Base {
  context: CheckContext;
  catalog: string;
  /** The real log, qualified past the shadowing view. */
  events: string;
  made: string[];
  /** The batch SQL, fenced as the replay ran it. */
  sql: FencedBatchSql;
}

interface Scope extends ScopeKeys {
  /** A copy of the events of the scope's keys. */
  log: string;
  /** The joined rows of the scope's keys (see compare.ts). */
  reference: string;
}

/** A table other connections see (the batch re-runs on its own connection), dropped by close(). */
function sharedTable(base: Base, name: string): string {
  const full = `__diag_rc_${name}`;
  if (!base.made.includes(full)) base.made.push(full);
  return `${quoteIdent(base.catalog)}.main.${quoteIdent(full)}`;
}

/** The keys of the differing rows, and how many events the log has. */
async function involvedKeys(base: Base): Promise<{ table: string; events: number }> {
  const { context } = base;
  const keyList = context.joined.keyColumns.map((k) => col(undefined, k)).join(', ');
  const table = sharedTable(base, 'keys');
  await context.session.run(
    `CREATE OR REPLACE TABLE ${table} AS SELECT DISTINCT ${keyList}, hash(${keyList}) AS __hash FROM ${context.rows}`,
  );
  return { table, events: Number(await context.session.scalar(`SELECT count(*) FROM ${base.events}`)) };
}

/**
 * A deterministic sample of the involved keys, their events copied once: the keys whose hash falls
 * in the share of the hash range that the budget is of the log's events (at least one key), so
 * that no pass over the log is needed to count events per key.
 */
async function sampleScope(
  base: Base,
  involved: { table: string; events: number },
  name: string,
  budget: number,
): Promise<Scope> {
  const { context } = base;
  const sample = sharedTable(base, name);
  const share = Math.min(1, budget / Math.max(1, involved.events));
  const bound = share >= 1 ? 'true' : `__hash < ${Math.floor(share * 2 ** 53)}::UBIGINT * 2048`;
  await context.session.run(
    `CREATE OR REPLACE TABLE ${sample} AS
     SELECT * EXCLUDE (__hash) FROM ${involved.table}
     QUALIFY ${bound} OR row_number() OVER (ORDER BY __hash) = 1`,
  );
  const keys: ScopeKeys = { table: sample, types: context.joinedTypes };
  return {
    ...keys,
    log: await copyEvents(base, keys, `${name}_events`),
    reference: await referenceRows(context, keys, `${name}_ref`),
  };
}

async function copyEvents(base: Base, keys: ScopeKeys, name: string): Promise<string> {
  const table = sharedTable(base, name);
  const { context } = base;
  await context.session.run(
    `CREATE OR REPLACE TABLE ${table} AS SELECT e.* FROM ${base.events} AS e WHERE ${inScope(keys, context, 'e', context.log!.types)}`,
  );
  return table;
}

/**
 * A key transform moves events to other keys: the scope grows by the keys the sample's events move
 * to and the keys whose events move into those, so that a row the change invents or empties elsewhere
 * is seen (and counts as broken) rather than dropped from the comparison.
 */
async function movedScope(base: Base, scope: Scope, intervention: Intervention, run: number): Promise<Scope> {
  const { context } = base;
  const keys = context.joined.keyColumns;
  const moved = (alias: string) =>
    keys.map((k) => `CAST(${intervention.key!(col(alias, k))} AS VARCHAR) AS ${quoteIdent(k)}`).join(', ');
  const raw = (alias: string) =>
    keys.map((k) => `CAST(${col(alias, k)} AS VARCHAR) AS ${quoteIdent(k)}`).join(', ');
  const table = sharedTable(base, `moved${run}`);
  const reached = `(SELECT ${raw('s')} FROM ${scope.table} AS s UNION SELECT ${moved('e')} FROM ${scope.log} AS e)`;
  await context.session.run(
    `CREATE OR REPLACE TABLE ${table} AS
     WITH reached AS ${reached}
     SELECT * FROM reached
     UNION SELECT ${raw('e')} FROM ${base.events} AS e
       WHERE (${keys.map((k) => `CAST(${intervention.key!(col('e', k))} AS VARCHAR)`).join(', ')}) IN (SELECT (${keys.map((k) => col(undefined, k)).join(', ')}) FROM reached)`,
  );
  const keysOf: ScopeKeys = { table, types: new Map(keys.map((k) => [k, 'VARCHAR'])) };
  return {
    ...keysOf,
    log: await copyEvents(base, keysOf, `moved${run}_events`),
    reference: await referenceRows(context, keysOf, `moved${run}_ref`),
  };
}

/** The part of a scope whose keys have an event the change touches: the only rows it can change. */
async function touchedScope(base: Base, scope: Scope, touches: string, run: number): Promise<Scope> {
  const { context } = base;
  const keys = context.joined.keyColumns;
  const table = sharedTable(base, `touched${run}`);
  await context.session.run(
    `CREATE OR REPLACE TABLE ${table} AS SELECT DISTINCT ${keys.map((k) => col(undefined, k)).join(', ')} FROM ${scope.log} WHERE ${touches}`,
  );
  const keysOf: ScopeKeys = { table, types: context.log!.types };
  const log = sharedTable(base, `touched${run}_events`);
  await context.session.run(
    `CREATE OR REPLACE TABLE ${log} AS SELECT e.* FROM ${scope.log} AS e WHERE ${inScope(keysOf, context, 'e', context.log!.types)}`,
  );
  const reference = context.temp(`rc_touched${run}_ref`);
  await context.session.run(
    `CREATE OR REPLACE TEMP TABLE ${reference} AS SELECT * FROM ${scope.reference} AS x
     WHERE (${keys.map((_, i) => `x.__k${i}`).join(', ')}) IN (SELECT (${keys.map((k) => `CAST(${col(undefined, k)} AS VARCHAR)`).join(', ')}) FROM ${table})`,
  );
  return { ...keysOf, log, reference };
}

/** Runs the SQL over the transformed events of the scope into a table; undefined when the SQL fails there. */
async function recomputeOn(base: Base, scope: Scope, intervention: Intervention, run: number) {
  const output = `__diag_rc_out${run}`;
  base.made.push(output);
  try {
    // In a fenced database, as the replay ran it (see fenced-sql.ts).
    await base.sql.run(intervention.events(scope.log), output);
    return output;
  } catch (error) {
    // e.g. a multi-statement file whose CREATE TABLE already exists
    if (process.env.SKEWCHECK_DEBUG)
      process.stderr.write(`[skewcheck] intervention ${intervention.name}: ${error}\n`);
    return undefined;
  }
}

/** Undefined without a batch SQL file, or when the SQL does not recompute per key (checked). */
export async function createRecompute(context: CheckContext): Promise<Recompute | undefined> {
  const log = context.log;
  if (!log?.batchSqlPath || !context.joined.keyColumns.length) return undefined;
  const { session } = context;
  const catalog = String(await session.scalar('SELECT current_database()'));
  const base: Base = {
    context,
    catalog,
    events: `${quoteIdent(catalog)}.main.${quoteIdent(log.relation)}`,
    made: [],
    sql: new FencedBatchSql(session, { ...log, batchSqlPath: log.batchSqlPath }),
  };
  const close = async () => {
    base.sql.close();
    for (const name of base.made) await session.run(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
  };
  const involved = await involvedKeys(base);
  const totalRows = Number(await session.scalar(`SELECT count(*) FROM ${context.rows}`));
  const budget =
    totalRows > SAMPLE_ABOVE_ROWS
      ? Math.min(
          SCREEN_EVENTS,
          Math.max(SCREEN_MIN_EVENTS, Math.ceil((involved.events * SCREEN_ROWS) / totalRows)),
        )
      : SCREEN_EVENTS;
  const screen = await sampleScope(base, involved, 'screen', budget);
  const count = async (scope: ScopeKeys) =>
    Number(
      await session.scalar(
        `SELECT count(*) FROM ${context.rows} AS r WHERE ${inScope(scope, context, 'r', context.joinedTypes)}`,
      ),
    );
  const sampled = context.temp('rc_sampled');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${sampled} AS SELECT r.__row FROM ${context.rows} AS r WHERE ${inScope(screen, context, 'r', context.joinedTypes)}`,
  );
  const sampledRows = Number(await session.scalar(`SELECT count(*) FROM ${sampled}`));
  let wide: Scope | undefined = sampledRows === totalRows ? screen : undefined;
  let runs = 0;
  const attempt = async (scope: Scope, intervention: Intervention) => {
    const run = runs++;
    const on = intervention.key
      ? await movedScope(base, scope, intervention, run)
      : intervention.touches
        ? await touchedScope(base, scope, intervention.touches, run)
        : scope;
    const output = await recomputeOn(base, on, intervention, run);
    if (!output) return undefined;
    const result = await compareRecomputed(context, on, output, intervention.window, run);
    await session.run(`DROP TABLE IF EXISTS ${quoteIdent(output)}`);
    return result && { ...result, accepted: false };
  };
  // The identity must give back the batch's own rows: else the SQL is not computed per key
  // (e.g. a rank over all users) and recomputing a sample proves nothing.
  const identity = await attempt(screen, { name: 'identity', events: (l) => `SELECT * FROM ${l}` });
  if (!identity || identity.changed > 0 || identity.broken > 0) {
    await close();
    return undefined;
  }
  const recompute: Recompute = {
    sampledRows,
    totalRows,
    confirmedRows: sampledRows,
    log: screen.log,
    logTable: '__diag_rc_screen_events',
    sampled,
    byPattern: false,
    close,
    async reproduce(intervention, confirm = false) {
      if (confirm && !wide) {
        wide = await sampleScope(base, involved, 'wide', CONFIRM_EVENTS);
        recompute.confirmedRows = await count(wide);
      }
      const reproduction = await attempt(confirm ? wide! : screen, intervention);
      if (!reproduction) return undefined;
      const { rows, broken, changed } = reproduction;
      if (process.env.SKEWCHECK_DEBUG) {
        process.stderr.write(
          `[skewcheck] intervention ${intervention.name}${confirm ? ' (confirm)' : ''}: ${rows} rows agree (${reproduction.residueRows} up to rounding) of ${changed} changed, ${broken} broken\n`,
        );
      }
      const kept = rows + reproduction.residueRows;
      const accepted = kept > 0 && broken <= MAX_BROKEN_SHARE * kept && kept >= MIN_PRECISION * changed;
      return { ...reproduction, accepted };
    },
  };
  return recompute;
}
