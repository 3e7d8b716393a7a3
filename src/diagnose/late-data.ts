// late_data: in arrival-order replay the stream drops events that arrive after the watermark
// has closed their window; the harness records them (one row per window they would have
// changed). The differing rows whose differences are exactly those events are explained.
import { quoteIdent } from '../io/index.js';
import { type CheckContext, defineCheck, type Finding } from './check.js';
import { agree, listText, plural } from './describe.js';
import { explainByExtraEvents } from './extra-events.js';
import { reproduceBest } from './intervene.js';
import { isNumericType, keysMatch } from './sql.js';

export const lateData = defineCheck({
  code: 'late_data',
  meaning: 'the events the stream dropped as late (arrival-order replay) are exactly the difference',
  fixHint: 'raise --allowed-lateness or --max-out-of-orderness, or accept late events in the streaming job',
  async run(context: CheckContext): Promise<Finding[]> {
    const found = [await lateRemoved(context), await lateSignal(context)];
    return found.filter((f): f is Finding => f !== undefined);
  },
});

/** The signal on the outputs (and the log), without recomputing. */
async function lateSignal(context: CheckContext): Promise<Finding | undefined> {
  const log = context.log;
  if (!log?.lateEventsTable || !context.windowBounds) return undefined;
  const { session, joined } = context;
  const late = quoteIdent(log.lateEventsTable);
  const lateColumns = await session.columnsOf(log.lateEventsTable);
  const lateTypes = new Map(lateColumns.map((c) => [c.name, c.type]));
  // One row per (event, window it would have changed): hopping windows repeat an event.
  const keyList = joined.keyColumns.map((k) => quoteIdent(k)).join(', ');
  const totals = (
    await session.rows(
      `SELECT (SELECT count(*) FROM (SELECT DISTINCT * EXCLUDE (__window_start) FROM ${late})) AS events,
         (SELECT count(*) FROM (SELECT DISTINCT ${keyList}, __window_start FROM ${late})) AS windows`,
    )
  )[0]!;
  const events = context.temp('late_events');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${events} AS
     SELECT r.__row, l.* FROM ${context.remaining} AS r JOIN ${late} AS l
       ON ${keysMatch(joined.keyColumns, { alias: 'r', types: context.joinedTypes }, { alias: 'l', types: lateTypes })}
       AND CAST(l.__window_start AS TIMESTAMP) = r.__ws`,
  );
  const sumColumns = lateColumns
    .filter(
      (c) => isNumericType(c.type) && !joined.keyColumns.includes(c.name) && c.name !== '__window_start',
    )
    .map((c) => c.name);
  const explained = await explainByExtraEvents(context, 'late', events, sumColumns);
  if (explained.rows === 0) return undefined;
  const left = context.labels.left;
  const right = context.labels.right;
  const dropper =
    explained.includedBy === 'left' ? right : explained.includedBy === 'right' ? left : 'stream';
  const features = Object.keys(explained.byFeature).sort();
  const droppedEvents = Number(totals.events);
  return {
    tier: 'consistent',
    rows: explained.table,
    message:
      `${plural(droppedEvents, 'event')} arrived after the watermark had closed ${agree(droppedEvents, 'its', 'their')} window and were dropped by the ${dropper}; ` +
      `they account exactly for the differences in ${plural(explained.rows, 'row')}` +
      (features.length ? ` (${listText(features)})` : '') +
      ' — raise --allowed-lateness or --max-out-of-orderness, or accept late events in the streaming job',
    evidence: {
      late_events: droppedEvents,
      late_windows: Number(totals.windows),
      dropped_by: dropper,
      features_matching: explained.byFeature,
      rows_explained: explained.rows,
      table: log.lateEventsTable,
    },
  };
}

/** Replay: remove the events the stream dropped as late and recompute the batch SQL. */
async function lateRemoved(context: CheckContext): Promise<Finding | undefined> {
  const { recompute, log } = context;
  if (!recompute || !log?.lateEventsTable) return undefined;
  const columns = log.columns.map((c) => quoteIdent(c.name)).join(', ');
  const late = `(SELECT DISTINCT ${columns} FROM ${quoteIdent(log.lateEventsTable)})`;
  const events = Number(await context.session.scalar(`SELECT count(*) FROM ${late}`));
  return reproduceBest(context, [
    {
      intervention: {
        name: 'late events removed',
        events: (l) => `SELECT ${columns} FROM ${l} EXCEPT ALL SELECT * FROM ${late}`,
      },
      says: `the ${context.labels.right} dropped ${plural(events, 'event')} that arrived after the watermark had closed their window`,
      evidence: { late_events: events, dropped_by: context.labels.right, table: log.lateEventsTable },
      change: events,
    },
  ]);
}
