// duplicate_events: the log holds repeated event ids (at-least-once delivery, retries) and one
// side deduplicates while the other does not. The extra copies of each repeated id (all but
// the earliest) are placed in their windows; rows that differ by exactly those copies are
// explained.
import { familyOf } from '../diff/family.js';
import { quoteIdent } from '../io/index.js';
import { type CheckContext, defineCheck, type Finding, type LogContext } from './check.js';
import { agree, listText, plural } from './describe.js';
import { explainByExtraEvents } from './extra-events.js';
import { type Hypothesis, reproduceBest } from './intervene.js';
import { col, isNumericType, keysMatch } from './sql.js';

/** An id column is nearly unique: at least this share of its non-NULL values are distinct. */
const MIN_ID_DISTINCTNESS = 0.5;

interface IdColumn {
  name: string;
  values: number;
  distinct: number;
  /** Extra rows that repeat both the id and the event time. */
  sameTime: number;
}

/** The explicit --event-id column, or the most distinct id-like column that has repeats. */
async function findIdColumn(context: CheckContext, log: LogContext): Promise<IdColumn | undefined> {
  const keys = new Set(context.joined.keyColumns);
  const candidates = log.eventIdColumn
    ? [log.eventIdColumn]
    : log.columns
        .filter(
          (c) =>
            /id$/i.test(c.name) &&
            !keys.has(c.name) &&
            c.name !== log.timeColumn &&
            ['numeric', 'string', 'other'].includes(familyOf(c.type)) &&
            !/^(FLOAT|DOUBLE|REAL)$/.test(c.type),
        )
        .map((c) => c.name);
  if (candidates.length === 0) return undefined;
  // An event id, unlike an entity id (merchant_id), is nearly unique, and its copies share the
  // event time: a redelivered event is the same event.
  const t = quoteIdent(log.timeColumn);
  const counts = (
    await context.session.rows(
      `SELECT ${candidates
        .map(
          (c, i) =>
            `count(${quoteIdent(c)}) AS n${i}, count(DISTINCT ${quoteIdent(c)}) AS d${i},
             (SELECT count(*) FROM (SELECT DISTINCT ${quoteIdent(c)}, ${t} FROM ${quoteIdent(log.relation)} WHERE ${quoteIdent(c)} IS NOT NULL)) AS dt${i}`,
        )
        .join(', ')}
       FROM ${quoteIdent(log.relation)}`,
    )
  )[0]!;
  const columns = candidates
    .map((name, i) => ({
      name,
      values: Number(counts[`n${i}`]),
      distinct: Number(counts[`d${i}`]),
      sameTime: Number(counts[`n${i}`]) - Number(counts[`dt${i}`]),
    }))
    .filter(
      (c) =>
        c.values > c.distinct &&
        (log.eventIdColumn !== undefined ||
          (c.distinct >= MIN_ID_DISTINCTNESS * c.values && c.sameTime * 2 >= c.values - c.distinct)),
    );
  columns.sort((a, b) => b.distinct / b.values - a.distinct / a.values || (a.name < b.name ? -1 : 1));
  return columns[0];
}

export const duplicateEvents = defineCheck({
  code: 'duplicate_events',
  meaning:
    'repeated event ids: one side deduplicates, the other counts every copy (`--event-id <col>`, else detected)',
  fixHint: 'deduplicate by the event id on both sides, or on neither',
  async run(context: CheckContext): Promise<Finding[]> {
    const found = [await deduplicated(context), await duplicateSignal(context)];
    return found.filter((f): f is Finding => f !== undefined);
  },
});

/** The signal on the outputs (and the log), without recomputing. */
async function duplicateSignal(context: CheckContext): Promise<Finding | undefined> {
  const log = context.log;
  if (!log || !context.windowBounds) return undefined;
  const id = await findIdColumn(context, log);
  if (!id) return undefined;
  const { session, joined } = context;
  const events = quoteIdent(log.relation);
  const idColumn = quoteIdent(id.name);
  const t = `CAST(${col('c', log.timeColumn)} AS TIMESTAMP)`;
  // The earliest copy of an id is the original; the others are the extra ones a
  // non-deduplicating side counts (in the window of their own time).
  const copies = context.temp('duplicate_copies');
  const order = [log.timeColumn, ...log.columns.map((c) => c.name)].map((c) => col('e', c)).join(', ');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${copies} AS
     SELECT e.*, row_number() OVER (PARTITION BY e.${idColumn} ORDER BY ${order}) AS __copy
     FROM ${events} AS e
     WHERE e.${idColumn} IN (SELECT ${idColumn} FROM ${events} WHERE ${idColumn} IS NOT NULL GROUP BY ALL HAVING count(*) > 1)`,
  );
  const extra = context.temp('duplicate_extra');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${extra} AS
     SELECT r.__row, c.* EXCLUDE (__copy) FROM ${context.remaining} AS r JOIN ${copies} AS c
       ON ${keysMatch(joined.keyColumns, { alias: 'r', types: context.joinedTypes }, { alias: 'c', types: log.types })}
       AND ${t} >= r.__ws AND ${t} < r.__we
     WHERE c.__copy > 1`,
  );
  const sumColumns = log.columns
    .filter((c) => isNumericType(c.type) && c.name !== id.name && !joined.keyColumns.includes(c.name))
    .map((c) => c.name);
  const explained = await explainByExtraEvents(context, 'duplicates', extra, sumColumns);
  if (explained.rows === 0) return undefined;
  const repeated = (
    await session.rows(
      `SELECT count(DISTINCT ${idColumn}) AS ids, count(*) FILTER (WHERE __copy > 1) AS extra FROM ${copies}`,
    )
  )[0]!;
  const counting = explained.includedBy ? context.labels[explained.includedBy] : undefined;
  const other =
    explained.includedBy === 'left'
      ? context.labels.right
      : explained.includedBy === 'right'
        ? context.labels.left
        : undefined;
  const features = Object.keys(explained.byFeature).sort();
  const extraCopies = Number(repeated.extra);
  return {
    tier: 'consistent',
    rows: explained.table,
    message:
      `${plural(Number(repeated.ids), `${id.name} value`)} ${agree(Number(repeated.ids), 'occurs', 'occur')} more than once in the log (${plural(extraCopies, 'extra copy', 'extra copies')}); ` +
      (counting && other
        ? `the ${counting} counts every copy and the ${other} deduplicates`
        : 'one side deduplicates and the other does not') +
      `: the copies account exactly for the differences in ${plural(explained.rows, 'row')}` +
      (features.length ? ` (${listText(features)})` : ''),
    evidence: {
      id_column: id.name,
      id_column_chosen: log.eventIdColumn ? 'option' : 'detected',
      repeated_ids: Number(repeated.ids),
      extra_copies: extraCopies,
      counted_by: counting ?? null,
      features_matching: explained.byFeature,
      rows_explained: explained.rows,
    },
  };
}

const MAX_ID_COLUMNS = 4;

/** Replay: drop repeated events — by --event-id, by each id-like column, by whole row — and recompute. */
async function deduplicated(context: CheckContext): Promise<Finding | undefined> {
  const { recompute, log } = context;
  if (!recompute || !log) return undefined;
  const keys = new Set(context.joined.keyColumns);
  const ids = log.eventIdColumn
    ? [log.eventIdColumn]
    : log.columns
        .filter((c) => /id$/i.test(c.name) && !keys.has(c.name) && c.name !== log.timeColumn)
        .map((c) => c.name)
        .slice(0, MAX_ID_COLUMNS);
  const t = quoteIdent(log.timeColumn);
  const counts = (
    await context.session.rows(
      `SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM ${recompute.log})) AS whole
       ${ids
         .map(
           (c, i) =>
             `, count(${quoteIdent(c)}) AS n${i}, count(${quoteIdent(c)}) - count(DISTINCT ${quoteIdent(c)}) AS d${i},
              count(${quoteIdent(c)}) - count(DISTINCT (${quoteIdent(c)}, ${t})) AS x${i}`,
         )
         .join('')}
       FROM ${recompute.log}`,
    )
  )[0]!;
  const { left, right } = context.labels;
  const hypotheses: Hypothesis[] = ids.flatMap((c, i) => {
    const extra = repeatedEventIds(log.eventIdColumn !== undefined, counts, i);
    if (extra === 0) return [];
    const id = quoteIdent(c);
    return [
      {
        intervention: {
          name: `dedup by ${c}`,
          events: (l: string) =>
            `SELECT * FROM ${l} QUALIFY ${id} IS NULL OR row_number() OVER (PARTITION BY ${id} ORDER BY ${t}) = 1`,
        },
        says: `the ${right} deduplicates events by ${c} and the ${left} counts every copy`,
        evidence: {
          id_column: c,
          id_column_chosen: log.eventIdColumn ? 'option' : 'detected',
          extra_copies: extra,
        },
        change: extra,
      },
    ];
  });
  const keyList = [...keys].map((k) => quoteIdent(k));
  const all = log.columns.map((c) => quoteIdent(c.name)).join(', ');
  const sameKeyTime = Number(
    await context.session.scalar(
      `SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT ${[...keyList, t].join(', ')} FROM ${recompute.log})) FROM ${recompute.log}`,
    ),
  );
  if (keyList.length > 0 && sameKeyTime > 0) {
    hypotheses.push({
      intervention: {
        name: 'dedup by key and event time',
        events: (l) =>
          `SELECT * FROM ${l} QUALIFY row_number() OVER (PARTITION BY ${[...keyList, t].join(', ')} ORDER BY ${all}) = 1`,
      },
      says: `the ${right} keeps one event per key and event time and the ${left} counts every one`,
      evidence: { id_column: null, id_column_chosen: 'key and event time', extra_copies: sameKeyTime },
      change: sameKeyTime,
    });
  }
  hypotheses.push(...copiesKept(context, ids, counts));
  const whole = Number(counts.whole);
  if (whole > 0) {
    hypotheses.push({
      intervention: { name: 'dedup whole rows', events: (l) => `SELECT DISTINCT * FROM ${l}` },
      says: `the ${right} drops repeated identical events and the ${left} counts every copy`,
      evidence: { id_column: null, id_column_chosen: 'whole row', extra_copies: whole },
      change: whole,
    });
  }
  return reproduceBest(context, hypotheses);
}

/**
 * How many extra copies id column `i` has (its `n`, `d`, `x` counts), or 0 when it is not taken
 * for an event id: a detected id counts only when nearly unique and its copies share the event
 * time (an entity id such as merchant_id repeats at other times). A declared `--event-id` always counts.
 */
function repeatedEventIds(declared: boolean, counts: Record<string, unknown>, i: number): number {
  const extra = Number(counts[`d${i}`]);
  if (extra === 0 || declared) return extra;
  const values = Number(counts[`n${i}`]);
  const sameTime = values - Number(counts[`x${i}`]);
  return values - extra < 0.5 * values || sameTime * 2 < extra ? 0 : extra;
}

/**
 * The reverse: the SQL deduplicates (by an id, or whole rows) and the stream counts every copy.
 * The copies are made distinct — a new id for each extra copy, or an extra column that tells
 * identical rows apart — so that the SQL's own dedup keeps them.
 */
function copiesKept(
  context: CheckContext,
  ids: readonly string[],
  counts: Record<string, unknown>,
): Hypothesis[] {
  const log = context.log!;
  const t = quoteIdent(log.timeColumn);
  const { left, right } = context.labels;
  const hypotheses: Hypothesis[] = ids.flatMap((c, i) => {
    const extra = repeatedEventIds(log.eventIdColumn !== undefined, counts, i);
    if (extra === 0) return [];
    const id = quoteIdent(c);
    const numeric = isNumericType(log.types.get(c));
    const fresh = numeric
      ? `-row_number() OVER (ORDER BY ${id}, __copy)`
      : `CAST(${id} AS VARCHAR) || '#' || CAST(__copy AS VARCHAR)`;
    return [
      {
        intervention: {
          name: `copies of ${c} kept`,
          events: (l: string) =>
            `SELECT * EXCLUDE (__copy) REPLACE (CASE WHEN __copy > 1 THEN ${fresh} ELSE ${id} END AS ${id})
             FROM (SELECT *, row_number() OVER (PARTITION BY ${id} ORDER BY ${t}) AS __copy FROM ${l})`,
        },
        says: `the ${left} deduplicates events by ${c} and the ${right} counts every copy`,
        evidence: {
          id_column: c,
          id_column_chosen: log.eventIdColumn ? 'option' : 'detected',
          extra_copies: extra,
          counted_by: right,
        },
        change: extra,
      },
    ];
  });
  const whole = Number(counts.whole);
  if (whole > 0) {
    const all = log.columns.map((c) => quoteIdent(c.name)).join(', ');
    hypotheses.push({
      intervention: {
        name: 'identical copies kept',
        events: (l) => `SELECT *, row_number() OVER (PARTITION BY ${all}) AS __skewcheck_copy FROM ${l}`,
      },
      says: `the ${left} drops repeated identical events and the ${right} counts every copy`,
      evidence: { id_column: null, id_column_chosen: 'whole row', extra_copies: whole, counted_by: right },
      change: whole,
    });
  }
  return hypotheses;
}
