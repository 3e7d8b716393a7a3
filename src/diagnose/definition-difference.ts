// definition_difference: the two sides compute a feature from different columns or with a
// different aggregate (distinct merchant names instead of merchant ids). With the event log, each
// differing feature is recomputed per differing row from alternatives — count(*), and for every
// column count(DISTINCT c), and sum(c) for numeric ones — and the alternatives that reproduce
// each side's values are named. Without the log, a name heuristic: distinct counts differ while
// plain counts agree in the same rows.
import { quoteIdent } from '../io/index.js';
import { type CheckContext, defineCheck, type Finding } from './check.js';
import { columnSwapped } from './column-swap.js';
import { int, listText, plural } from './describe.js';
import { col, isNumericType, keysMatch, sameNumber } from './sql.js';

/** An alternative must reproduce a side's values in at least this share of the feature's differing rows. */
const MIN_REPRODUCED = 0.5;
const MAX_ALTERNATIVES = 64;
const DISTINCT_NAME = /(^|_)(unique|distinct|nunique|n_unique|uniq|cardinality)(_|$)/i;
const COUNT_NAME = /(^|_)(count|cnt|num|n)(_|$)/i;

interface Alternative {
  label: string;
  sql: string;
}

export const definitionDifference = defineCheck({
  code: 'definition_difference',
  meaning: 'recomputed from the log, another column reproduces one side (names instead of ids)',
  fixHint: 'aggregate the same column with the same function on both sides',
  async run(context: CheckContext): Promise<Finding[] | undefined> {
    const features = await differingNumericFeatures(context);
    if (features.length === 0) return undefined;
    if (!context.log || !context.windowBounds)
      return [await byName(context, features)].flatMap((f) => f ?? []);
    // The swap is tried either way (a second cause may need it combined); the recount, which
    // names each side's aggregate per feature, is the finding when it reproduces.
    const swapped = await columnSwapped(context);
    const recounted = await recompute(context, features);
    return [recounted ?? swapped].flatMap((f) => f ?? []);
  },
});

type JoinedFeature = CheckContext['joined']['features'][number];

async function differingNumericFeatures(
  context: CheckContext,
): Promise<{ feature: JoinedFeature; rows: number }[]> {
  const numeric = context.joined.features.filter((f) => f.numeric);
  if (numeric.length === 0) return [];
  const counts = (
    await context.session.rows(
      `SELECT ${numeric.map((f, i) => `count(*) FILTER (WHERE ${col(undefined, f.differsColumn)}) AS m${i}`).join(', ')}
       FROM ${context.remaining} WHERE __status = 'mismatch'`,
    )
  )[0]!;
  return numeric.map((feature, i) => ({ feature, rows: Number(counts[`m${i}`]) })).filter((f) => f.rows > 0);
}

function alternatives(context: CheckContext): Alternative[] {
  const log = context.log!;
  const skip = new Set([...context.joined.keyColumns, log.timeColumn]);
  const list: Alternative[] = [{ label: 'count(*)', sql: 'count(*)' }];
  for (const c of log.columns) {
    if (skip.has(c.name)) continue;
    const e = col('e', c.name);
    list.push({ label: `count(DISTINCT ${c.name})`, sql: `count(DISTINCT ${e})` });
    if (isNumericType(c.type)) list.push({ label: `sum(${c.name})`, sql: `sum(CAST(${e} AS DOUBLE))` });
  }
  return list.slice(0, MAX_ALTERNATIVES);
}

async function recompute(
  context: CheckContext,
  features: { feature: JoinedFeature; rows: number }[],
): Promise<Finding | undefined> {
  const { session, joined } = context;
  const log = context.log!;
  const alts = alternatives(context);
  const t = `CAST(${col('e', log.timeColumn)} AS TIMESTAMP)`;
  const values = context.temp('definition_values');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${values} AS
     SELECT r.__row, ${alts.map((a, j) => `${a.sql} AS __v${j}`).join(', ')}
     FROM ${context.remaining} AS r JOIN ${quoteIdent(log.relation)} AS e
       ON ${keysMatch(joined.keyColumns, { alias: 'r', types: context.joinedTypes }, { alias: 'e', types: log.types })}
       AND ${t} >= r.__ws AND ${t} < r.__we
     WHERE r.__status = 'mismatch'
     GROUP BY r.__row`,
  );
  const hitColumns = features.flatMap(({ feature }, i) =>
    alts.flatMap((_, j) => [
      `count(*) FILTER (WHERE ${col('r', feature.differsColumn)} AND ${sameNumber(col('r', feature.leftColumn), `v.__v${j}`)}) AS l_${i}_${j}`,
      `count(*) FILTER (WHERE ${col('r', feature.differsColumn)} AND ${sameNumber(col('r', feature.rightColumn), `v.__v${j}`)}) AS r_${i}_${j}`,
    ]),
  );
  const hits = (
    await session.rows(
      `SELECT ${hitColumns.join(', ')} FROM ${context.remaining} AS r JOIN ${values} AS v ON v.__row = r.__row`,
    )
  )[0]!;

  const identified: {
    index: number;
    feature: JoinedFeature;
    rows: number;
    left: number;
    right: number;
    leftHits: number;
    rightHits: number;
  }[] = [];
  features.forEach(({ feature, rows }, i) => {
    const best = (side: 'l' | 'r') => {
      let top = 0;
      let at = -1;
      alts.forEach((_, j) => {
        const h = Number(hits[`${side}_${i}_${j}`]);
        if (h > top) [top, at] = [h, j];
      });
      return { at, top };
    };
    const l = best('l');
    const r = best('r');
    if (l.at < 0 || r.at < 0 || l.at === r.at) return;
    if (l.top < MIN_REPRODUCED * rows || r.top < MIN_REPRODUCED * rows) return;
    identified.push({ index: i, feature, rows, left: l.at, right: r.at, leftHits: l.top, rightHits: r.top });
  });
  if (identified.length === 0) return undefined;

  // A row is explained when every feature that differs in it is identified and both of its
  // values are reproduced by the two sides' definitions.
  const reproduced = new Map(
    identified.map((d) => [
      d.feature.name,
      `(${sameNumber(col('r', d.feature.leftColumn), `v.__v${d.left}`)} AND ${sameNumber(col('r', d.feature.rightColumn), `v.__v${d.right}`)})`,
    ]),
  );
  const condition = joined.features
    .map((f) => {
      const differs = `COALESCE(${col('r', f.differsColumn)}, false)`;
      const ok = reproduced.get(f.name);
      return ok ? `(NOT ${differs} OR ${ok})` : `NOT ${differs}`;
    })
    .join(' AND ');
  const explained = context.temp('definition');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${explained} AS
     SELECT r.__row FROM ${context.remaining} AS r JOIN ${values} AS v ON v.__row = r.__row WHERE ${condition}`,
  );
  const rows = Number(await session.scalar(`SELECT count(*) FROM ${explained}`));
  if (rows === 0) return undefined;
  const { left, right } = context.labels;
  const perFeature: Record<string, Record<string, string | number>> = {};
  const sentences = identified.map((d) => {
    perFeature[d.feature.name] = {
      [left]: alts[d.left]!.label,
      [right]: alts[d.right]!.label,
      differing_rows: d.rows,
      [`${left}_reproduced`]: d.leftHits,
      [`${right}_reproduced`]: d.rightHits,
    };
    return (
      `${d.feature.name}: the ${right}'s values are ${alts[d.right]!.label} over each window's events ` +
      `(${int(d.rightHits)} of ${plural(d.rows, 'differing row')}) and the ${left}'s are ${alts[d.left]!.label} (${int(d.leftHits)} of ${int(d.rows)})`
    );
  });
  // count(*) against count(DISTINCT c) is also one side deduplicating events by c: the recount
  // cannot tell the two apart, so it only fits.
  const dedup = identified.some((d) =>
    [alts[d.left]!.label, alts[d.right]!.label].every(
      (l) => l === 'count(*)' || l.startsWith('count(DISTINCT'),
    ),
  );
  return {
    tier: dedup ? 'consistent' : 'reproduced',
    rows: explained,
    message:
      `${sentences.join('; ')}: the two sides aggregate different columns` +
      (dedup ? ' (or one side deduplicates events by that column)' : ''),
    evidence: {
      features: identified.map((d) => d.feature.name),
      ...perFeature,
      rows_explained: rows,
    },
  };
}

async function byName(
  context: CheckContext,
  features: { feature: JoinedFeature; rows: number }[],
): Promise<Finding | undefined> {
  const all = context.joined.features;
  const distinct = features.filter((f) => DISTINCT_NAME.test(f.feature.name)).map((f) => f.feature);
  const counts = all.filter((f) => f.numeric && COUNT_NAME.test(f.name) && !DISTINCT_NAME.test(f.name));
  if (distinct.length === 0 || counts.length === 0) return undefined;
  const isDistinct = new Set(distinct.map((f) => f.name));
  // Rows where only distinct counts differ, and every plain count agrees.
  const condition = all
    .filter((f) => !isDistinct.has(f.name))
    .map((f) => `NOT COALESCE(${col(undefined, f.differsColumn)}, false)`)
    .join(' AND ');
  const explained = context.temp('definition');
  await context.session.run(
    `CREATE OR REPLACE TEMP TABLE ${explained} AS
     SELECT __row FROM ${context.remaining} WHERE __status = 'mismatch'${condition ? ` AND ${condition}` : ''}`,
  );
  const rows = Number(await context.session.scalar(`SELECT count(*) FROM ${explained}`));
  if (rows === 0) return undefined;
  const names = distinct.map((f) => f.name);
  return {
    tier: 'consistent',
    rows: explained,
    message:
      `${listText(names)} (distinct counts) differ while ${listText(counts.map((f) => f.name))} agree in the same ${plural(rows, 'row')}: ` +
      'the two sides count distinct values of different columns (ids vs names?) — replay the event log to find which',
    evidence: {
      features: names,
      agreeing_counts: counts.map((f) => f.name),
      rows_explained: rows,
    },
  };
}
