// window_boundary: one side puts an event that falls exactly on a window bound into the other
// window (an inclusive end, `t <= end` instead of `t < end`). Rows whose key has an event
// exactly at their window's start or end are "touched"; the cause is reported when touched rows
// differ far more often than the others, and it explains the touched differing rows. When a
// count-like feature allows, the evidence names each side's convention.
import { quoteIdent } from '../io/index.js';
import { windowBounds } from './bounds.js';
import { type CheckContext, defineCheck, type Finding } from './check.js';
import { agree, int, percent, plural } from './describe.js';
import { type Hypothesis, reproduceBest } from './intervene.js';
import { col, keysMatch, sameNumber } from './sql.js';
import { windowLength, windowPhase } from './time-hypotheses.js';

/** Touched rows must differ at least this many times as often as untouched ones. */
const MIN_RATIO = 2;
/** …and more often than chance: a one-sided z-score of at least this. */
const MIN_Z = 3;

const CONVENTIONS = {
  '[start, end)': (t: string) => `${t} >= r.__ws AND ${t} < r.__we`,
  '(start, end]': (t: string) => `${t} > r.__ws AND ${t} <= r.__we`,
  '[start, end]': (t: string) => `${t} >= r.__ws AND ${t} <= r.__we`,
} as const;
type Convention = keyof typeof CONVENTIONS;

export const windowBoundary = defineCheck({
  code: 'window_boundary',
  meaning: 'windows with an event exactly on a bound differ (inclusive vs exclusive end)',
  fixHint:
    'use the same window convention on both sides: [start, end), an event on the end opens the next window',
  async run(context: CheckContext): Promise<Finding[]> {
    // The recounts have their own precondition (differing rows with an event on a bound): the
    // contrast of the signal fails when a second bug makes every row differ.
    const signal = await boundarySignal(context);
    const found = [await boundaryMoved(context), signal];
    return found.filter((f): f is Finding => f !== undefined);
  },
});

/**
 * Recount the events of the touched mismatching rows under each convention and find a numeric
 * feature whose values on each side are such a count.
 */
async function sideConventions(
  context: CheckContext,
  explained: string,
): Promise<{ left: Convention; right: Convention; feature: string; rows: number; of: number } | undefined> {
  const { session, joined } = context;
  const log = context.log!;
  const features = joined.features.filter((f) => f.numeric);
  if (features.length === 0) return undefined;
  const names = Object.keys(CONVENTIONS) as Convention[];
  const t = `CAST(${col('e', log.timeColumn)} AS TIMESTAMP)`;
  const counts = context.temp('boundary_counts');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${counts} AS
     SELECT r.__row, ${names.map((n, i) => `count(*) FILTER (WHERE ${CONVENTIONS[n](t)}) AS __c${i}`).join(', ')}
     FROM ${context.remaining} AS r SEMI JOIN ${explained} AS x ON x.__row = r.__row
     JOIN ${quoteIdent(log.relation)} AS e
       ON ${keysMatch(joined.keyColumns, { alias: 'r', types: context.joinedTypes }, { alias: 'e', types: log.types })}
       AND ${t} >= r.__ws AND ${t} <= r.__we
     WHERE r.__status = 'mismatch'
     GROUP BY r.__row`,
  );
  const hits = features.flatMap((f, fi) =>
    (['left', 'right'] as const).flatMap((side) =>
      names.map(
        (_, ci) =>
          `count(*) FILTER (WHERE ${sameNumber(col('r', side === 'left' ? f.leftColumn : f.rightColumn), `c.__c${ci}`)}) AS h_${fi}_${side}_${ci}`,
      ),
    ),
  );
  const row = (
    await session.rows(
      `SELECT count(*) AS n, ${hits.join(', ')} FROM ${counts} AS c JOIN ${context.remaining} AS r ON r.__row = c.__row`,
    )
  )[0]!;
  const n = Number(row.n);
  if (n === 0) return undefined;
  for (const [fi, f] of features.entries()) {
    const best = (side: 'left' | 'right') => {
      let top = -1;
      let at = 0;
      names.forEach((_, ci) => {
        const h = Number(row[`h_${fi}_${side}_${ci}`]);
        if (h > top) [top, at] = [h, ci];
      });
      return { convention: names[at]!, hits: top };
    };
    const l = best('left');
    const r = best('right');
    if (l.convention !== r.convention && l.hits * 2 >= n && r.hits * 2 >= n) {
      return {
        left: l.convention,
        right: r.convention,
        feature: f.name,
        rows: Math.min(l.hits, r.hits),
        of: n,
      };
    }
  }
  return undefined;
}

/** The signal on the outputs (and the log), without recomputing. */
async function boundarySignal(context: CheckContext): Promise<Finding | undefined> {
  const log = context.log;
  if (!log || !context.windowBounds) return undefined;
  const { session, joined } = context;
  const events = quoteIdent(log.relation);
  const t = `CAST(${col('e', log.timeColumn)} AS TIMESTAMP)`;
  const bounds = windowBounds(joined, context.joinedTypes, log.window, 'j');
  const keyTypes = { alias: 'e', types: log.types };
  const onBound = (bound: string) =>
    `EXISTS (SELECT 1 FROM ${events} AS e WHERE ${keysMatch(joined.keyColumns, { alias: 'j', types: context.joinedTypes }, keyTypes)} AND ${t} = ${bound})`;
  const contrast = (
    await session.rows(
      `SELECT count(*) FILTER (WHERE __touched AND __differs) AS touched_differ,
         count(*) FILTER (WHERE __touched) AS touched,
         count(*) FILTER (WHERE NOT __touched AND __differs) AS other_differ,
         count(*) FILTER (WHERE NOT __touched) AS other
       FROM (SELECT j.__status <> 'match' AS __differs, (${onBound(bounds.start)} OR ${onBound(bounds.end)}) AS __touched
             FROM ${quoteIdent(joined.table)} AS j)`,
    )
  )[0]!;
  const touchedDiffer = Number(contrast.touched_differ);
  const touched = Number(contrast.touched);
  const otherDiffer = Number(contrast.other_differ);
  const other = Number(contrast.other);
  if (touchedDiffer === 0) return undefined;
  const touchedRate = touchedDiffer / touched;
  const otherRate = other > 0 ? otherDiffer / other : 0;
  const expected = touched * otherRate;
  const z = otherRate > 0 ? (touchedDiffer - expected) / Math.sqrt(expected * (1 - otherRate)) : Infinity;
  if (touchedRate < MIN_RATIO * otherRate || z < MIN_Z) return undefined;

  const rowKeys = { alias: 'r', types: context.joinedTypes };
  const explained = context.temp('boundary');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${explained} AS
     SELECT r.__row, r.__status FROM ${context.remaining} AS r
     WHERE EXISTS (SELECT 1 FROM ${events} AS e WHERE ${keysMatch(joined.keyColumns, rowKeys, keyTypes)} AND (${t} = r.__ws OR ${t} = r.__we))`,
  );
  const rows = Number(await session.scalar(`SELECT count(*) FROM ${explained}`));
  if (rows === 0) return undefined;
  const boundaryEvents = Number(
    await session.scalar(
      `SELECT count(*) FROM ${events} AS e SEMI JOIN ${context.remaining} AS r
         ON ${keysMatch(joined.keyColumns, rowKeys, keyTypes)} AND (${t} = r.__ws OR ${t} = r.__we)`,
    ),
  );
  const conventions = await sideConventions(context, explained);
  const { left, right } = context.labels;
  const inclusive = conventions && [conventions.left, conventions.right].some((c) => c.endsWith(']'));
  const convention = conventions
    ? `: recounting ${conventions.feature}, the ${left} counts the events in ${conventions.left} and the ${right} those in ${conventions.right} ` +
      `(${int(conventions.rows)} of ${plural(conventions.of, 'row')} that differ in value)${inclusive ? ' — an inclusive window end' : ''}`
    : '';
  return {
    tier: 'consistent',
    rows: explained,
    message:
      `${plural(rows, 'differing row')} ${agree(rows, 'has', 'have')} an event exactly on a window bound (${percent(touchedRate)} of such windows differ, ${percent(otherRate)} of the others)` +
      (convention ||
        ': one side includes a window’s end (inclusive end) where the other starts the next window'),
    evidence: {
      boundary_events: boundaryEvents,
      windows_with_boundary_event: touched,
      differing_share_with_boundary_event: touchedRate,
      differing_share_without: otherRate,
      [`${left}_convention`]: conventions?.left ?? null,
      [`${right}_convention`]: conventions?.right ?? null,
      rows_explained: rows,
    },
  };
}

/**
 * Replay: move the events that fall exactly on a window bound by one microsecond (back: into the
 * window they close, `(start, end]`; forward: the reverse), or count them in both windows
 * (`[start, end]`), and recompute the batch SQL.
 */
async function boundaryMoved(context: CheckContext): Promise<Finding | undefined> {
  const { recompute, log } = context;
  if (!recompute || !log) return undefined;
  const size = await windowLength(context);
  const phase = size ? await windowPhase(context, size) : undefined;
  if (!size || !phase) return undefined;
  const t = quoteIdent(log.timeColumn);
  const onBound = `((epoch_us(${t}::TIMESTAMP) - ${phase.leftMs * 1000}) % ${size * 1000} = 0)`;
  const events = Number(
    await context.session.scalar(`SELECT count(*) FROM ${recompute.log} WHERE ${onBound}`),
  );
  if (events === 0) return undefined;
  // Moving events on a bound changes only windows that start or end at one: unless differing
  // rows have such an event, no recount can reproduce them.
  const touched = Number(
    await context.session.scalar(
      `SELECT count(*) FROM ${context.rows} AS r SEMI JOIN (SELECT * FROM ${recompute.log} WHERE ${onBound}) AS e
         ON ${keysMatch(context.joined.keyColumns, { alias: 'r', types: context.joinedTypes }, { alias: 'e', types: log.types })}
         AND (CAST(e.${t} AS TIMESTAMP) = r.__ws OR CAST(e.${t} AS TIMESTAMP) = r.__we)`,
    ),
  );
  if (touched === 0) return undefined;
  const { left, right } = context.labels;
  const moved = (us: number) => (l: string) =>
    `SELECT * REPLACE (CASE WHEN ${onBound} THEN ${t} + to_microseconds(${us}) ELSE ${t} END AS ${t}) FROM ${l}`;
  const evidence = { events_on_bound: events, window_ms: size };
  const hypotheses: Hypothesis[] = [
    {
      intervention: { name: 'bound events into the window they end', events: moved(-1), touches: onBound },
      says: `the ${right}'s windows include their end ((start, end]) where the ${left}'s do not: an event exactly on a bound belongs to the window it closes`,
      evidence: {
        ...evidence,
        [`${left}_convention`]: '[start, end)',
        [`${right}_convention`]: '(start, end]',
      },
      change: events,
    },
    {
      intervention: {
        name: 'bound events in both windows',
        touches: onBound,
        events: (l) =>
          `SELECT * FROM ${l} UNION ALL SELECT * REPLACE (${t} - to_microseconds(1) AS ${t}) FROM ${l} WHERE ${onBound}`,
      },
      says: `the ${right}'s windows include both bounds ([start, end]): an event exactly on a bound is counted in two windows`,
      evidence: {
        ...evidence,
        [`${left}_convention`]: '[start, end)',
        [`${right}_convention`]: '[start, end]',
      },
      change: events,
    },
    {
      // A hand-written consumer that closes a window on the first event *after* its end puts an
      // event on the bound in the window it ends only when that window is open (has events).
      intervention: {
        name: 'bound events into the open window they end',
        touches: onBound,
        events: (l) =>
          `SELECT * REPLACE (CASE WHEN ${onBound} AND EXISTS (SELECT 1 FROM ${l} AS p WHERE ${context.joined.keyColumns
            .map((k) => `p.${quoteIdent(k)} IS NOT DISTINCT FROM o.${quoteIdent(k)}`)
            .join(' AND ')} AND p.${t} < o.${t} AND p.${t} >= o.${t} - to_milliseconds(${size}))
            THEN ${t} - to_microseconds(1) ELSE ${t} END AS ${t}) FROM ${l} AS o`,
      },
      says: `the ${right} closes a window only on an event after its end: an event exactly on the end of an open window is counted in it ((start, end]) where the ${left} starts the next window`,
      evidence: {
        ...evidence,
        [`${left}_convention`]: '[start, end)',
        [`${right}_convention`]: '(start, end] while open',
      },
      change: events,
    },
    {
      intervention: { name: 'bound events into the next window', events: moved(1), touches: onBound },
      says: `the ${left}'s windows include their end where the ${right}'s do not ([start, end)): an event exactly on a bound opens the next window`,
      evidence: {
        ...evidence,
        [`${left}_convention`]: '(start, end]',
        [`${right}_convention`]: '[start, end)',
      },
      change: events,
    },
  ];
  return reproduceBest(context, hypotheses);
}
