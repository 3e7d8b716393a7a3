// Interventions (replay only): re-run the user's batch SQL over a transformed copy of the events
// of the keys involved in differing rows, and compare the result with the stream's rows under the
// run's tolerances. A differing row that agrees afterwards is *reproduced* by the hypothesis. The
// keys are sampled to a budget of events; a hypothesis that breaks rows that agreed is rejected.
import { runBatchSql } from '../batch/index.js';
import { mismatchExpression } from '../diff/compare-sql.js';
import { familyOf } from '../diff/family.js';
import { quoteIdent } from '../io/index.js';
import type { CheckContext } from './check.js';
import { col, keysMatch } from './sql.js';

/** Events (of the sampled keys) each hypothesis is screened on. */
const SCREEN_EVENTS = 50_000;
/** Events the best hypothesis of a check is then confirmed on (all involved keys, up to this). */
const CONFIRM_EVENTS = 2_000_000;
/** A hypothesis may break at most this share of the rows it fixes (rounding noise, not a wrong cause). */
const MAX_BROKEN_SHARE = 0.02;

export interface Intervention {
  /** A short name for tables and evidence, e.g. `null_amount_0`. */
  name: string;
  /** SELECT over the sampled log (`log` is its SQL relation) giving the transformed events. */
  events(log: string): string;
  /** The key as the transformed events carry it (default: unchanged), for choosing the events. */
  key?(column: string): string;
  /** Maps a window column of the recomputed rows back, e.g. from local time to UTC. */
  window?(column: string): string;
}

export interface Reproduction {
  /** Table with `__row`: the differing rows (of the sample) that agree after the intervention. */
  table: string;
  rows: number;
  /** Rows that agreed before and differ after. */
  broken: number;
}

export interface Recompute {
  /** The differing rows whose keys hypotheses are screened on, confirmed on, and all differing rows. */
  sampledRows: number;
  confirmedRows: number;
  totalRows: number;
  /** SQL relation of the sampled log (the real log, not the shadowing view). */
  log: string;
  /** On the screening sample, or with `confirm` on all involved keys (up to a larger budget). */
  reproduce(intervention: Intervention, confirm?: boolean): Promise<Reproduction | undefined>;
  /** Drops the tables it made (other connections see them, so they are not TEMP). */
  close(): Promise<void>;
}

interface Scope {
  context: CheckContext;
  catalog: string;
  /** The real log, qualified past the shadowing view. */
  events: string;
  sample: string;
  made: string[];
  outputTypes: ReadonlyMap<string, string>;
  streamTypes: ReadonlyMap<string, string>;
}

/** A table other connections see (the batch re-runs on its own connection), dropped by close(). */
function sharedTable(scope: Scope, name: string): string {
  const full = `__diag_rc_${name}`;
  if (!scope.made.includes(full)) scope.made.push(full);
  return `${quoteIdent(scope.catalog)}.main.${quoteIdent(full)}`;
}

/** TRUE when the row `alias` (columns typed `types`) has a sampled key. */
function inSample(scope: Scope, alias: string, types: ReadonlyMap<string, string>): string {
  const { context } = scope;
  return `EXISTS (SELECT 1 FROM ${scope.sample} AS s WHERE ${keysMatch(context.joined.keyColumns, { alias: 's', types: context.joinedTypes }, { alias, types })})`;
}

/** TRUE when the (key, window) of row `x` is in the table of differing pairs. */
function differsAt(scope: Scope, differing: string): string {
  const { keyColumns, timeColumns } = scope.context.joined;
  return `EXISTS (SELECT 1 FROM ${differing} AS d WHERE ${[...keyColumns, ...timeColumns]
    .map((c) =>
      timeColumns.includes(c)
        ? `CAST(${col('d', c)} AS TIMESTAMP) IS NOT DISTINCT FROM CAST(${col('x', c)} AS TIMESTAMP)`
        : `${col('d', c)} IS NOT DISTINCT FROM CAST(${col('x', c)} AS VARCHAR)`,
    )
    .join(' AND ')})`;
}

/** The keys of the differing rows, with how many events each has. */
async function involvedKeys(scope: Omit<Scope, 'sample'>): Promise<string> {
  const { context } = scope;
  const keys = context.joined.keyColumns;
  const keyList = keys.map((k) => col(undefined, k)).join(', ');
  const involved = sharedTable(scope as Scope, 'keys');
  await context.session.run(
    `CREATE OR REPLACE TABLE ${involved} AS
     SELECT k.*, (SELECT count(*) FROM ${scope.events} AS e WHERE ${keysMatch(keys, { alias: 'e', types: context.log!.types }, { alias: 'k', types: context.joinedTypes })}) AS __events
     FROM (SELECT DISTINCT ${keyList} FROM ${context.rows}) AS k`,
  );
  return involved;
}

/** Keys in hash order until the budget of events: a deterministic sample of the involved keys. */
async function sampleKeys(
  scope: Omit<Scope, 'sample'>,
  involved: string,
  name: string,
  budget: number,
): Promise<string> {
  const keyList = scope.context.joined.keyColumns.map((k) => col(undefined, k)).join(', ');
  const sample = sharedTable(scope as Scope, name);
  await scope.context.session.run(
    `CREATE OR REPLACE TABLE ${sample} AS
     SELECT * EXCLUDE (__cum) FROM (
       SELECT *, sum(__events) OVER (ORDER BY hash(${keyList}), ${keyList} ROWS UNBOUNDED PRECEDING) AS __cum
       FROM ${involved})
     WHERE __cum - __events < ${budget}`,
  );
  return sample;
}

/** Runs the SQL over the transformed events; the table of (key, window) pairs that differ from `against`. */
async function recomputeAgainst(
  scope: Scope,
  intervention: Intervention,
  against: string,
  run: number,
): Promise<string | undefined> {
  const { context } = scope;
  const { session, joined } = context;
  const keys = joined.keyColumns;
  const output = `__diag_rc_out${run}`;
  scope.made.push(output);
  const keyOf = intervention.key ?? ((c: string) => c);
  const chosen = `(SELECT e.* FROM ${scope.events} AS e WHERE EXISTS (SELECT 1 FROM ${scope.sample} AS s WHERE ${keys
    .map((k) => `CAST(${keyOf(col('e', k))} AS VARCHAR) IS NOT DISTINCT FROM CAST(${col('s', k)} AS VARCHAR)`)
    .join(' AND ')}))`;
  try {
    await runBatchSql(session, context.log!.batchSqlPath!, output, undefined, {
      eventsView: intervention.events(chosen),
    });
  } catch (error) {
    // e.g. a multi-statement file whose CREATE TABLE already exists
    if (process.env.SKEWCHECK_DEBUG)
      process.stderr.write(`[skewcheck] intervention ${intervention.name}: ${error}\n`);
    return undefined;
  }
  const recomputedTypes = new Map((await session.columnsOf(output)).map((c) => [c.name, c.type]));
  const againstTypes = against === joined.right.table ? scope.streamTypes : scope.outputTypes;
  const align = [...keys, ...joined.timeColumns];
  if (!align.every((c) => recomputedTypes.has(c))) return undefined;
  if (!joined.features.every((f) => recomputedTypes.has(f.name))) return undefined;
  const window = intervention.window ?? ((c: string) => c);
  const expression = (alias: string, c: string, types: ReadonlyMap<string, string>) => {
    const family = familyOf(types.get(c) ?? 'VARCHAR');
    if (joined.timeColumns.includes(c) && (family === 'timestamp' || family === 'date'))
      return `CAST(${alias === 'a' ? window(col(alias, c)) : col(alias, c)} AS TIMESTAMP)`;
    return `CAST(${col(alias, c)} AS VARCHAR)`;
  };
  const differs = joined.features
    .map((f) => mismatchExpression(f, col('a', f.name), col('b', f.name)))
    .join(' OR ');
  const differing = sharedTable(scope, `diff${run}`);
  await session.run(
    `CREATE OR REPLACE TABLE ${differing} AS
     SELECT ${align.map((c) => `COALESCE(${expression('a', c, recomputedTypes)}, ${expression('b', c, againstTypes)}) AS ${quoteIdent(c)}`).join(', ')}
     FROM (SELECT *, true AS __p FROM ${quoteIdent(output)} AS a WHERE ${inSample(scope, 'a', recomputedTypes)}) AS a
     FULL OUTER JOIN (SELECT *, true AS __p FROM ${quoteIdent(against)} AS b WHERE ${inSample(scope, 'b', againstTypes)}) AS b
       ON ${align.map((c) => `${expression('a', c, recomputedTypes)} IS NOT DISTINCT FROM ${expression('b', c, againstTypes)}`).join(' AND ')}
     WHERE a.__p IS NULL OR b.__p IS NULL OR ${differs || 'false'}`,
  );
  await session.run(`DROP TABLE IF EXISTS ${quoteIdent(output)}`);
  return differing;
}

/** The sampled differing rows that agree with the stream after the intervention, and the agreeing rows it broke. */
async function reproducedRows(scope: Scope, differing: string, run: number): Promise<Reproduction> {
  const { context } = scope;
  const { session, joined } = context;
  const keys = joined.keyColumns;
  // Not named after the intervention: its name may hold column names.
  const reproduced = context.temp(`rc_rows${run}`);
  // A row only the batch has is "reproduced" by any change that drops its events; it counts
  // only when the stream has no row for its key, or the recomputation agrees with one of
  // them (the key is computed like the stream, not merely emptied).
  const streamKeys = sharedTable(scope, `streamkeys${run}`);
  await session.run(
    `CREATE OR REPLACE TABLE ${streamKeys} AS
     SELECT ${keys.map((k) => col(undefined, k)).join(', ')}, bool_or(NOT ${differsAt(scope, differing)}) AS __agrees
     FROM ${quoteIdent(joined.right.table)} AS x WHERE ${inSample(scope, 'x', scope.streamTypes)} GROUP BY ALL`,
  );
  const keyAgrees = `(SELECT k.__agrees FROM ${streamKeys} AS k WHERE ${keysMatch(keys, { alias: 'k', types: scope.streamTypes }, { alias: 'x', types: context.joinedTypes })})`;
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${reproduced} AS
     SELECT x.__row FROM ${context.rows} AS x
     WHERE ${inSample(scope, 'x', context.joinedTypes)} AND NOT ${differsAt(scope, differing)}
       AND (x.__status <> 'only_left' OR COALESCE(${keyAgrees}, true))`,
  );
  const rows = Number(await session.scalar(`SELECT count(*) FROM ${reproduced}`));
  const broken = Number(
    await session.scalar(
      `SELECT count(*) FROM ${quoteIdent(joined.table)} AS x
       WHERE x.__status = 'match' AND ${inSample(scope, 'x', context.joinedTypes)} AND ${differsAt(scope, differing)}`,
    ),
  );
  return { table: reproduced, rows, broken };
}

/** Undefined without a batch SQL file, or when the SQL does not recompute per key (checked). */
export async function createRecompute(context: CheckContext): Promise<Recompute | undefined> {
  const log = context.log;
  if (!log?.batchSqlPath || !context.joined.keyColumns.length) return undefined;
  const { session, joined } = context;
  const catalog = String(await session.scalar('SELECT current_database()'));
  const base = {
    context,
    catalog,
    events: `${quoteIdent(catalog)}.main.${quoteIdent(log.relation)}`,
    made: [] as string[],
    outputTypes: new Map((await session.columnsOf(joined.left.table)).map((c) => [c.name, c.type])),
    streamTypes: new Map((await session.columnsOf(joined.right.table)).map((c) => [c.name, c.type])),
  };
  const involved = await involvedKeys(base);
  const scope: Scope = { ...base, sample: await sampleKeys(base, involved, 'screen', SCREEN_EVENTS) };
  const wide: Scope = { ...scope, sample: await sampleKeys(base, involved, 'wide', CONFIRM_EVENTS) };
  const close = async () => {
    for (const name of scope.made) await session.run(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
  };
  const counts = (
    await session.rows(
      `SELECT count(*) AS total, count(*) FILTER (WHERE ${inSample(scope, 'r', context.joinedTypes)}) AS sampled,
         count(*) FILTER (WHERE ${inSample(wide, 'r', context.joinedTypes)}) AS confirmed
       FROM ${context.rows} AS r`,
    )
  )[0]!;
  let runs = 0;
  // The identity must give back the batch's own rows: else the SQL is not computed per key
  // (e.g. a rank over all users) and recomputing a sample proves nothing.
  const identity = await recomputeAgainst(
    scope,
    { name: 'identity', events: (l) => `SELECT * FROM ${l}` },
    joined.left.table,
    runs++,
  );
  if (!identity || Number(await session.scalar(`SELECT count(*) FROM ${identity}`)) > 0) {
    await close();
    return undefined;
  }
  return {
    sampledRows: Number(counts.sampled),
    totalRows: Number(counts.total),
    log: `(SELECT e.* FROM ${scope.events} AS e WHERE ${inSample(scope, 'e', log.types)})`,
    close,
    confirmedRows: Number(counts.confirmed),
    async reproduce(intervention, confirm = false) {
      const run = runs++;
      const on = confirm ? wide : scope;
      const differing = await recomputeAgainst(on, intervention, joined.right.table, run);
      if (!differing) return undefined;
      const reproduction = await reproducedRows(on, differing, run);
      if (process.env.SKEWCHECK_DEBUG) {
        process.stderr.write(
          `[skewcheck] intervention ${intervention.name}${confirm ? ' (confirm)' : ''}: ${reproduction.rows} rows agree, ${reproduction.broken} broken\n`,
        );
      }
      const { rows, broken } = reproduction;
      return rows === 0 || broken > MAX_BROKEN_SHARE * rows ? undefined : reproduction;
    },
  };
}
