// key_normalisation: one side trims, case-folds or re-types its keys ("U1 " → "u1", 42 → "42",
// "042" → 42) and the other does not, so one entity becomes several keys on one side. Rows
// are grouped by normalised key and window; a group holding different raw keys, with rows on
// one side only, explains its differing rows.
import { quoteIdent, quoteLiteral } from '../io/index.js';
import { type CheckContext, defineCheck, type Finding } from './check.js';
import { listText, plural } from './describe.js';
import { type Hypothesis, reproduceBest } from './intervene.js';
import { col } from './sql.js';

const WHITESPACE = quoteLiteral(' \t\r\n');

function text(alias: string | undefined, column: string): string {
  return `CAST(${col(alias, column)} AS VARCHAR)`;
}

/** The key as both sides would agree on it: trimmed, lower-case, numbers in one canonical form. */
function normalised(alias: string | undefined, column: string): string {
  const trimmed = `trim(${text(alias, column)}, ${WHITESPACE})`;
  return `COALESCE(CAST(TRY_CAST(${trimmed} AS DOUBLE) AS VARCHAR), lower(${trimmed}))`;
}

export const keyNormalisation = defineCheck({
  code: 'key_normalisation',
  meaning: 'keys equal after trimming, case-folding or casting (`"U1 "` vs `"u1"`, `42` vs `"042"`)',
  fixHint: 'normalise keys the same way on both sides (trim, case, type) before grouping',
  async run(context: CheckContext): Promise<Finding[]> {
    // One entity split into several keys leaves rows on one side only: without such rows,
    // no key transform can be the cause (a cheap precondition of every test below).
    const oneSided = Number(
      await context.session.scalar(`SELECT count(*) FROM ${context.remaining} WHERE __status <> 'mismatch'`),
    );
    if (oneSided === 0) return [];
    const found = [await keysTransformed(context), await keySignal(context)];
    return found.filter((f): f is Finding => f !== undefined);
  },
});

/** The signal on the outputs (and the log), without recomputing. */
async function keySignal(context: CheckContext): Promise<Finding | undefined> {
  const { session, joined } = context;
  const keys = joined.keyColumns;
  const times = joined.timeColumns;
  const normKeys = keys.map((k, i) => `${normalised(undefined, k)} AS __nk${i}`);
  const raw = `list_value(${keys.map((k) => text(undefined, k)).join(', ')})`;
  const rawText = keys.length === 1 ? text(undefined, keys[0]!) : `array_to_string(${raw}, ', ')`;
  const groupBy = [...keys.map((_, i) => `__nk${i}`), ...times.map((t) => quoteIdent(t))];
  const candidates = context.temp('keynorm_candidates');
  // Only normalised keys that occur among the remaining differing rows are looked at, and of
  // those only the ones several raw keys normalise to (counted over the distinct keys, a few
  // thousand where the rows are millions): no other can make a group of two raw keys.
  const colliding = `SELECT ${keys.map((k, i) => `${normalised(undefined, k)} AS __n${i}`).join(', ')}
     FROM (SELECT DISTINCT ${keys.map((k) => col(undefined, k)).join(', ')} FROM ${quoteIdent(joined.table)})
     GROUP BY ALL HAVING count(*) > 1`;
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${candidates} AS
     SELECT DISTINCT c.* FROM (
       SELECT ${keys.map((k, i) => `${normalised(undefined, k)} AS __c${i}`).join(', ')} FROM ${context.remaining}
       WHERE __status <> 'mismatch') AS c
     SEMI JOIN (${colliding}) AS n ON ${keys.map((_, i) => `c.__c${i} IS NOT DISTINCT FROM n.__n${i}`).join(' AND ')}`,
  );
  if (Number(await session.scalar(`SELECT count(*) FROM ${candidates}`)) === 0) return undefined;
  const groups = context.temp('keynorm_groups');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${groups} AS
     SELECT ${groupBy.join(', ')},
       count(DISTINCT ${raw}) FILTER (WHERE __status <> 'only_right') AS __left_keys,
       count(DISTINCT ${raw}) FILTER (WHERE __status <> 'only_left') AS __right_keys,
       list(DISTINCT ${rawText} ORDER BY ${rawText}) FILTER (WHERE __status <> 'only_right') AS __left_raw,
       list(DISTINCT ${rawText} ORDER BY ${rawText}) FILTER (WHERE __status <> 'only_left') AS __right_raw,
       ${keys
         .map((k) => `(count(DISTINCT ${text(undefined, k)}) > count(DISTINCT lower(${text(undefined, k)})))`)
         .join(' OR ')} AS __case,
       ${keys
         .map(
           (k) =>
             `(count(DISTINCT ${text(undefined, k)}) > count(DISTINCT trim(${text(undefined, k)}, ${WHITESPACE})))`,
         )
         .join(' OR ')} AS __space,
       ${keys
         .map(
           (k, i) =>
             `(count(DISTINCT lower(trim(${text(undefined, k)}, ${WHITESPACE}))) > count(DISTINCT __nk${i}))`,
         )
         .join(' OR ')} AS __number
     FROM (SELECT *, ${normKeys.join(', ')} FROM ${quoteIdent(joined.table)}) AS j
     SEMI JOIN ${candidates} AS c ON ${keys.map((_, i) => `j.__nk${i} IS NOT DISTINCT FROM c.__c${i}`).join(' AND ')}
     GROUP BY ${groupBy.join(', ')}
     HAVING count(DISTINCT ${raw}) > 1
       AND bool_or(__status IN ('only_left', 'only_right'))
       AND bool_or(__status <> 'only_right') AND bool_or(__status <> 'only_left')`,
  );
  const explained = context.temp('keynorm');
  const on = [
    ...keys.map((k, i) => `${normalised('r', k)} IS NOT DISTINCT FROM g.__nk${i}`),
    ...times.map((t) => `${col('r', t)} IS NOT DISTINCT FROM ${col('g', t)}`),
  ].join(' AND ');
  await session.run(
    `CREATE OR REPLACE TEMP TABLE ${explained} AS
     SELECT r.__row FROM ${context.remaining} AS r JOIN ${groups} AS g ON ${on}`,
  );
  const rows = Number(await session.scalar(`SELECT count(*) FROM ${explained}`));
  if (rows === 0) return undefined;
  const stats = (
    await session.rows(
      `SELECT count(*) AS groups, sum(__left_keys) AS left_keys, sum(__right_keys) AS right_keys,
         count(*) FILTER (WHERE __case) AS case_groups, count(*) FILTER (WHERE __space) AS space_groups,
         count(*) FILTER (WHERE __number) AS number_groups
       FROM ${groups}`,
    )
  )[0]!;
  const examples = await session.rows(
    `SELECT DISTINCT __left_raw, __right_raw FROM ${groups} ORDER BY __left_raw, __right_raw LIMIT 3`,
  );
  const { left, right } = context.labels;
  const leftKeys = Number(stats.left_keys);
  const rightKeys = Number(stats.right_keys);
  const normaliser = leftKeys < rightKeys ? left : rightKeys < leftKeys ? right : undefined;
  const other = normaliser === left ? right : left;
  const kinds = [
    Number(stats.case_groups) > 0 ? 'case' : undefined,
    Number(stats.space_groups) > 0 ? 'surrounding whitespace' : undefined,
    Number(stats.number_groups) > 0 ? 'number format' : undefined,
  ].filter((k): k is string => k !== undefined);
  const steps = [
    Number(stats.space_groups) > 0 ? 'trims' : undefined,
    Number(stats.case_groups) > 0 ? 'folds case' : undefined,
    Number(stats.number_groups) > 0 ? 'casts numbers' : undefined,
  ].filter((k): k is string => k !== undefined);
  const list = (v: unknown) => (Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join(' / ') : '');
  const exampleText = examples.map((e) => `${left} ${list(e.__left_raw)} ↔ ${right} ${list(e.__right_raw)}`);
  return {
    tier: 'consistent',
    rows: explained,
    message:
      `keys that differ only in ${listText(kinds.length ? kinds : ['form'])} (${exampleText[0]}): ` +
      (normaliser
        ? `the ${normaliser} normalises keys (${listText(steps.length ? steps : ['differently'])}) and the ${other} does not`
        : 'the two sides normalise keys differently') +
      `, so one entity is several keys on one side (${plural(Number(stats.groups), '(key, window) group')})`,
    evidence: {
      groups: Number(stats.groups),
      [`${left}_keys`]: leftKeys,
      [`${right}_keys`]: rightKeys,
      normalised_by: normaliser ?? null,
      differ_in: kinds,
      examples: exampleText,
      rows_explained: rows,
    },
  };
}

const KEY_TRANSFORMS: { name: string; differIn: string[]; sql: (k: string) => string }[] = [
  { name: 'trim', differIn: ['surrounding whitespace'], sql: (k) => `trim(${k}, ${WHITESPACE})` },
  { name: 'lower-case', differIn: ['case'], sql: (k) => `lower(${k})` },
  { name: 'upper-case', differIn: ['case'], sql: (k) => `upper(${k})` },
  {
    name: 'trim and lower-case',
    differIn: ['case', 'surrounding whitespace'],
    sql: (k) => `lower(trim(${k}, ${WHITESPACE}))`,
  },
  {
    name: 'cast to a number',
    differIn: ['number format'],
    sql: (k) => `COALESCE(CAST(TRY_CAST(trim(${k}, ${WHITESPACE}) AS HUGEINT) AS VARCHAR), ${k})`,
  },
];

/** Replay: transform the events' key (trim, case, cast, leading zeros) and recompute. */
async function keysTransformed(context: CheckContext): Promise<Finding | undefined> {
  const { recompute, log } = context;
  if (!recompute || !log) return undefined;
  const textKeys = context.joined.keyColumns.filter((k) => log.types.get(k) === 'VARCHAR');
  const hypotheses: Hypothesis[] = [];
  for (const key of textKeys) {
    const k = quoteIdent(key);
    const changed = (
      await context.session.rows(
        // Only transforms that turn some event's key into a key the stream emits can reproduce.
        `SELECT ${KEY_TRANSFORMS.map(
          (x, i) =>
            `count(*) FILTER (WHERE ${x.sql(k)} IS DISTINCT FROM ${k} AND CAST(${x.sql(k)} AS VARCHAR) IN (SELECT CAST(${k} AS VARCHAR) FROM ${quoteIdent(context.joined.right.table)})) AS c${i}`,
        ).join(', ')} FROM ${recompute.log}`,
      )
    )[0]!;
    KEY_TRANSFORMS.forEach((x, i) => {
      const change = Number(changed[`c${i}`]);
      if (change === 0) return;
      hypotheses.push({
        intervention: {
          name: `${x.name} ${key}`,
          events: (l) => `SELECT * REPLACE (${x.sql(k)} AS ${k}) FROM ${l}`,
          key: (column) => (column.endsWith(k) ? x.sql(column) : column),
        },
        says: `the ${context.labels.right} normalises ${key} (${x.name}) and the ${context.labels.left} does not`,
        evidence: {
          key,
          transform: x.name,
          differ_in: x.differIn,
          events_changed: change,
          normalised_by: context.labels.right,
        },
        change,
      });
    });
  }
  return reproduceBest(context, hypotheses);
}
