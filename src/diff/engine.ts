// The diff engine: aligns two feature tables on key + window in DuckDB, classifies every
// (key, window) as match / mismatch / only-left / only-right, sets duplicates aside, and
// summarises per feature and per key. All row-level work is SQL; JS sees only aggregates
// and a bounded sample.
import { InputError, UsageError } from '../errors.js';
import { type ColumnInfo, copyQueryToFile, type JsRow, quoteIdent, type Session } from '../io/index.js';
import { int, percent } from '../report/format.js';
import { familyOf } from './family.js';
import { jsonValue } from './json-value.js';
import { computeDiffPlots } from './plot-data.js';
import { DEFAULT_TOLERANCE } from './tolerance.js';
import type {
  Diagnosis,
  DiffResult,
  DuplicateSide,
  FeatureDiff,
  JsonValue,
  KeyDiff,
  RowSample,
  SideInfo,
  Tolerance,
} from './types.js';

export interface DiffSide {
  /** DuckDB table or view holding this side's rows. */
  table: string;
  label: string;
  source: string;
  /** How to name this side in an error message, e.g. "the batch output of features.sql". */
  describe: string;
}

export interface DiffOptions {
  command: 'diff' | 'replay';
  left: DiffSide;
  right: DiffSide;
  keyColumns: string[];
  /** Window columns to align on; default window_start plus window_end when both sides have it. */
  timeColumns?: string[];
  tolerance?: Tolerance;
  featureTolerances?: Record<string, Tolerance>;
  maxMismatchRate?: number;
  sampleSize?: number;
  topKeys?: number;
  mismatchesPath?: string;
  /**
   * Called with the aligned rows before they are dropped, e.g. to diagnose why rows differ.
   * Whatever it returns is stored as the result's `diagnoses`.
   */
  inspect?: (joined: JoinedRows) => Promise<Diagnosis[]>;
}

/** The aligned rows of a diff, as a temporary DuckDB table (see `inspect`). */
export interface JoinedRows {
  session: Session;
  /** Temporary table: align columns, `__status` ('match' | 'mismatch' | 'only_left' | 'only_right'), and per feature the columns below. */
  table: string;
  keyColumns: string[];
  timeColumns: string[];
  left: DiffSide;
  right: DiffSide;
  features: {
    name: string;
    status: FeatureDiff['status'];
    numeric: boolean;
    leftType: string | null;
    rightType: string | null;
    /** Column names in `table`: the left value, the right value, TRUE when they differ beyond tolerance. */
    leftColumn: string;
    rightColumn: string;
    differsColumn: string;
  }[];
}

function finiteOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

const L = '__l';
const R = '__r';
const J = '__joined';

interface PlannedFeature {
  name: string;
  index: number;
  status: FeatureDiff['status'];
  leftType: string | null;
  rightType: string | null;
  numeric: boolean;
  tolerance: Tolerance | null;
}

function requireColumns(side: DiffSide, columns: ColumnInfo[], wanted: string[], what: string): void {
  const have = new Set(columns.map((c) => c.name));
  const missing = wanted.filter((w) => !have.has(w));
  if (missing.length > 0) {
    throw new InputError(
      `${side.describe} has no ${what} column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}; its columns are: ${columns.map((c) => `${c.name} ${c.type}`).join(', ')}`,
      { file: side.source, column: missing[0] },
    );
  }
}

function dbl(expr: string): string {
  return `CAST(${expr} AS DOUBLE)`;
}

/** SQL that is TRUE when the two values differ beyond tolerance (never NULL). */
function mismatchExpression(feature: PlannedFeature, l: string, r: string): string {
  if (feature.status === 'type_mismatch') {
    return `(CAST(${l} AS VARCHAR) IS DISTINCT FROM CAST(${r} AS VARCHAR))`;
  }
  if (feature.numeric) {
    const tol = feature.tolerance!;
    const a = dbl(l);
    const b = dbl(r);
    return `(NOT ((${l} IS NULL AND ${r} IS NULL) OR (${l} IS NOT NULL AND ${r} IS NOT NULL AND (
      ${l} = ${r}
      OR (isnan(${a}) AND isnan(${b}))
      OR (isfinite(${a}) AND isfinite(${b}) AND abs(${a} - ${b}) <= greatest(${tol.abs}, ${tol.rel} * greatest(abs(${a}), abs(${b}))))
    ))))`;
  }
  if (familyOf(feature.leftType!) === 'timestamp') {
    return `(CAST(${l} AS TIMESTAMP) IS DISTINCT FROM CAST(${r} AS TIMESTAMP))`;
  }
  return `(${l} IS DISTINCT FROM ${r})`;
}

function alignExpression(column: string, leftType: string, rightType: string, alias: string): string {
  const ref = `${alias}.${quoteIdent(column)}`;
  if (leftType === rightType) return ref;
  const lf = familyOf(leftType);
  const rf = familyOf(rightType);
  if (lf === rf && lf === 'numeric') return ref;
  if ((lf === 'timestamp' || lf === 'date') && (rf === 'timestamp' || rf === 'date'))
    return `CAST(${ref} AS TIMESTAMP)`;
  return `CAST(${ref} AS VARCHAR)`;
}

export async function diffTables(session: Session, options: DiffOptions): Promise<DiffResult> {
  const { left, right, keyColumns } = options;
  const baseTolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const featureTolerances = options.featureTolerances ?? {};
  const sampleSize = options.sampleSize ?? 20;
  const topKeyCount = options.topKeys ?? 10;
  const maxMismatchRate = options.maxMismatchRate ?? 0;
  const notes: string[] = [];

  const leftColumns = await session.columnsOf(left.table);
  const rightColumns = await session.columnsOf(right.table);
  const leftType = new Map(leftColumns.map((c) => [c.name, c.type]));
  const rightType = new Map(rightColumns.map((c) => [c.name, c.type]));

  requireColumns(left, leftColumns, keyColumns, 'key');
  requireColumns(right, rightColumns, keyColumns, 'key');
  let timeColumns = options.timeColumns;
  if (!timeColumns) {
    timeColumns = ['window_start'];
    if (leftType.has('window_end') && rightType.has('window_end')) timeColumns.push('window_end');
  }
  requireColumns(left, leftColumns, timeColumns, 'window');
  requireColumns(right, rightColumns, timeColumns, 'window');
  const alignColumns = [...keyColumns, ...timeColumns];
  const overlap = keyColumns.find((k) => timeColumns.includes(k));
  if (overlap) throw new UsageError(`"${overlap}" is given both as a key and as a window column`);
  for (const column of alignColumns) {
    const lt = leftType.get(column)!;
    const rt = rightType.get(column)!;
    if (familyOf(lt) !== familyOf(rt)) {
      notes.push(
        `${column} is ${lt} on the ${left.label} side and ${rt} on the ${right.label} side; rows were aligned on its text form`,
      );
    }
  }

  // Features: every other column, matched by name, reported in name order.
  const isAlign = new Set(alignColumns);
  const leftFeatures = leftColumns.map((c) => c.name).filter((n) => !isAlign.has(n));
  const rightFeatures = rightColumns.map((c) => c.name).filter((n) => !isAlign.has(n));
  const allNames = [...new Set([...leftFeatures, ...rightFeatures])].sort();
  const unknownTolerances = Object.keys(featureTolerances).filter((f) => !allNames.includes(f));
  if (unknownTolerances.length > 0) {
    throw new UsageError(
      `--tol names ${unknownTolerances.map((f) => `"${f}"`).join(', ')}, which ${unknownTolerances.length > 1 ? 'are not features' : 'is not a feature'} of either side (features: ${allNames.join(', ') || 'none'})`,
    );
  }
  const features: PlannedFeature[] = allNames.map((name, index) => {
    const lt = leftType.get(name) ?? null;
    const rt = rightType.get(name) ?? null;
    let status: FeatureDiff['status'] = 'compared';
    if (lt === null) status = 'only_right';
    else if (rt === null) status = 'only_left';
    else if (familyOf(lt) !== familyOf(rt)) status = 'type_mismatch';
    const numeric = status === 'compared' && familyOf(lt!) === 'numeric';
    if (featureTolerances[name] && !numeric) {
      throw new UsageError(`--tol ${name}: tolerances apply to numeric features, and ${name} is ${lt ?? rt}`);
    }
    return {
      name,
      index,
      status,
      leftType: lt,
      rightType: rt,
      numeric,
      tolerance: numeric ? (featureTolerances[name] ?? baseTolerance) : null,
    };
  });
  const comparable = features.filter((f) => f.status === 'compared' || f.status === 'type_mismatch');

  // 1. Find (key, window) pairs that occur more than once on a side (a hash aggregate); their
  //    rows are set aside and reported, never fanned out in the join.
  const align = alignColumns.map(quoteIdent).join(', ');
  const relation: Record<typeof L | typeof R, string> = { [L]: '', [R]: '' };
  const duplicates: { left: DuplicateSide; right: DuplicateSide } = {
    left: { groups: 0, rows: 0, examples: [] },
    right: { groups: 0, rows: 0, examples: [] },
  };
  for (const [alias, side, name] of [
    [L, left, 'left'],
    [R, right, 'right'],
  ] as const) {
    const dup = `${alias}_dup`;
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${dup} AS SELECT ${align}, count(*) AS __n FROM ${quoteIdent(side.table)} GROUP BY ALL HAVING count(*) > 1`,
    );
    duplicates[name] = await describeDuplicates(session, dup, keyColumns, timeColumns, sampleSize);
    const unique =
      duplicates[name].rows === 0
        ? ''
        : `WHERE NOT EXISTS (SELECT 1 FROM ${dup} AS d WHERE ${alignColumns.map((c) => `d.${quoteIdent(c)} IS NOT DISTINCT FROM t.${quoteIdent(c)}`).join(' AND ')})`;
    relation[alias] = `(SELECT t.*, true AS __present FROM ${quoteIdent(side.table)} AS t ${unique})`;
  }

  // 2. Full outer join on key + window (NULL keys match NULL keys).
  const on = alignColumns
    .map((c) => {
      const lt = leftType.get(c)!;
      const rt = rightType.get(c)!;
      return `${alignExpression(c, lt, rt, 'l')} IS NOT DISTINCT FROM ${alignExpression(c, lt, rt, 'r')}`;
    })
    .join(' AND ');
  const alignSelect = alignColumns
    .map((c) => {
      const lt = leftType.get(c)!;
      const rt = rightType.get(c)!;
      return `COALESCE(${alignExpression(c, lt, rt, 'l')}, ${alignExpression(c, lt, rt, 'r')}) AS ${quoteIdent(c)}`;
    })
    .join(', ');
  const featureSelect = comparable
    .map((f) => {
      const l = `l.${quoteIdent(f.name)}`;
      const r = `r.${quoteIdent(f.name)}`;
      const parts = [`${l} AS __l${f.index}`, `${r} AS __r${f.index}`];
      parts.push(
        `CASE WHEN l.__present AND r.__present THEN ${mismatchExpression(f, l, r)} END AS __m${f.index}`,
      );
      parts.push(
        `CASE WHEN l.__present AND r.__present THEN (${l} IS NULL) <> (${r} IS NULL) END AS __z${f.index}`,
      );
      if (f.numeric) {
        const a = dbl(l);
        const b = dbl(r);
        parts.push(`CASE WHEN isfinite(${a}) AND isfinite(${b}) THEN abs(${a} - ${b}) END AS __a${f.index}`);
        parts.push(
          `CASE WHEN isfinite(${a}) AND isfinite(${b}) THEN (CASE WHEN ${a} = ${b} THEN 0 ELSE abs(${a} - ${b}) / greatest(abs(${a}), abs(${b})) END) END AS __q${f.index}`,
        );
      }
      return parts.join(', ');
    })
    .join(', ');
  const anyMismatch = comparable.length > 0 ? comparable.map((f) => `__m${f.index}`).join(' OR ') : 'false';
  await session.run(`CREATE OR REPLACE TEMP TABLE ${J} AS
    SELECT *, CASE WHEN __presence IS NOT NULL THEN __presence WHEN ${anyMismatch} THEN 'mismatch' ELSE 'match' END AS __status
    FROM (
      SELECT ${alignSelect}${featureSelect ? `, ${featureSelect}` : ''},
        CASE WHEN r.__present IS NULL THEN 'only_left' WHEN l.__present IS NULL THEN 'only_right' END AS __presence
      FROM ${relation[L]} AS l
      FULL OUTER JOIN ${relation[R]} AS r
      ON ${on || 'true'}
    )`);

  // 3. Summary and per-feature aggregates in one pass.
  const aggregates = [
    `count(*) AS windows`,
    `count(*) FILTER (WHERE __status = 'match') AS matched`,
    `count(*) FILTER (WHERE __status = 'mismatch') AS mismatched`,
    `count(*) FILTER (WHERE __status = 'only_left') AS only_left`,
    `count(*) FILTER (WHERE __status = 'only_right') AS only_right`,
    `count(*) FILTER (WHERE __presence IS NULL) AS both_sides`,
    ...comparable.flatMap((f) => [
      `count(*) FILTER (WHERE __m${f.index}) AS m${f.index}`,
      `count(*) FILTER (WHERE __z${f.index}) AS z${f.index}`,
      ...(f.numeric ? [`max(__a${f.index}) AS a${f.index}`, `max(__q${f.index}) AS q${f.index}`] : []),
    ]),
  ];
  const totals = (await session.rows(`SELECT ${aggregates.join(', ')} FROM ${J}`))[0]!;
  const n = (name: string) => Number(totals[name] ?? 0);
  const bothSides = n('both_sides');

  const featureDiffs: FeatureDiff[] = features.map((f) => {
    const compared = f.status === 'compared' || f.status === 'type_mismatch' ? bothSides : 0;
    const mismatches = compared > 0 ? n(`m${f.index}`) : 0;
    return {
      name: f.name,
      status: f.status,
      left_type: f.leftType,
      right_type: f.rightType,
      compared,
      mismatches,
      mismatch_rate: compared > 0 ? mismatches / compared : 0,
      max_abs_diff: f.numeric ? finiteOrNull(totals[`a${f.index}`]) : null,
      max_rel_diff: f.numeric ? finiteOrNull(totals[`q${f.index}`]) : null,
      tolerance: f.tolerance,
      null_mismatches: compared > 0 ? n(`z${f.index}`) : 0,
    };
  });

  // 5. Top offending keys and the first mismatching rows, both in a stable order.
  const keyList = keyColumns.map(quoteIdent).join(', ');
  const orderKeys = alignColumns.map((c) => `${quoteIdent(c)} ASC NULLS FIRST`).join(', ');
  const keyRows = await session.rows(
    `SELECT ${keyList},
       count(*) FILTER (WHERE __status = 'mismatch') AS mismatched_windows,
       count(*) FILTER (WHERE __status = 'only_left') AS only_left,
       count(*) FILTER (WHERE __status = 'only_right') AS only_right
       ${comparable.map((f) => `, bool_or(COALESCE(__m${f.index}, false)) AS f${f.index}`).join('')}
     FROM ${J} WHERE __status <> 'match'
     GROUP BY ALL
     ORDER BY count(*) DESC, ${keyColumns.map((k) => `${quoteIdent(k)} ASC NULLS FIRST`).join(', ')}
     LIMIT ${topKeyCount}`,
  );
  const pick = (row: JsRow, columns: string[]) =>
    Object.fromEntries(columns.map((c) => [c, jsonValue(row[c])])) as Record<string, JsonValue>;
  const topKeys: KeyDiff[] = keyRows.map((row) => ({
    key: pick(row, keyColumns),
    mismatched_windows: Number(row.mismatched_windows),
    only_left: Number(row.only_left),
    only_right: Number(row.only_right),
    features: comparable.filter((f) => row[`f${f.index}`] === true).map((f) => f.name),
  }));

  const sampleRows = await session.rows(
    `SELECT * FROM ${J} WHERE __status <> 'match' ORDER BY ${orderKeys} LIMIT ${sampleSize}`,
  );
  const samples: RowSample[] = sampleRows.map((row) => ({
    key: pick(row, keyColumns),
    window: pick(row, timeColumns),
    status: row.__status as RowSample['status'],
    differences: comparable
      .filter((f) => row[`__m${f.index}`] === true)
      .map((f) => ({
        feature: f.name,
        left: jsonValue(row[`__l${f.index}`]),
        right: jsonValue(row[`__r${f.index}`]),
        abs_diff: f.numeric ? finiteOrNull(row[`__a${f.index}`]) : null,
        rel_diff: f.numeric ? finiteOrNull(row[`__q${f.index}`]) : null,
      })),
  }));

  // 6. Every mismatching row, for audit.
  if (options.mismatchesPath) {
    const columns = [
      ...alignColumns.map(quoteIdent),
      `__status AS status`,
      ...comparable.flatMap((f) => [
        `__l${f.index} AS ${quoteIdent(`${f.name}__${left.label}`)}`,
        `__r${f.index} AS ${quoteIdent(`${f.name}__${right.label}`)}`,
        `COALESCE(__m${f.index}, false) AS ${quoteIdent(`${f.name}__differs`)}`,
      ]),
    ];
    await copyQueryToFile(
      session,
      `SELECT ${columns.join(', ')} FROM ${J} WHERE __status <> 'match' ORDER BY ${orderKeys}`,
      options.mismatchesPath,
    );
  }

  const diagnoses = options.inspect
    ? await options.inspect({
        session,
        table: J,
        keyColumns,
        timeColumns,
        left,
        right,
        features: comparable.map((f) => ({
          name: f.name,
          status: f.status,
          numeric: f.numeric,
          leftType: f.leftType,
          rightType: f.rightType,
          leftColumn: `__l${f.index}`,
          rightColumn: `__r${f.index}`,
          differsColumn: `__m${f.index}`,
        })),
      })
    : undefined;

  // 7. Aggregated, size-bounded data for the report's charts.
  const plots = await computeDiffPlots(session, {
    table: J,
    keyColumns,
    timeColumns,
    features: comparable.map((f) => ({
      name: f.name,
      left: `__l${f.index}`,
      right: `__r${f.index}`,
      mismatch: `__m${f.index}`,
      numeric: f.numeric,
      mismatches: n(`m${f.index}`),
    })),
  });

  const leftRows = Number(await session.scalar(`SELECT count(*) FROM ${quoteIdent(left.table)}`));
  const rightRows = Number(await session.scalar(`SELECT count(*) FROM ${quoteIdent(right.table)}`));
  await session.run(
    `DROP TABLE IF EXISTS ${L}_dup; DROP TABLE IF EXISTS ${R}_dup; DROP TABLE IF EXISTS ${J};`,
  );

  const windows = n('windows');
  const bad = n('mismatched') + n('only_left') + n('only_right');
  const summary = {
    left_rows: leftRows,
    right_rows: rightRows,
    windows,
    matched: n('matched'),
    mismatched: n('mismatched'),
    only_left: n('only_left'),
    only_right: n('only_right'),
    duplicates: duplicates.left.rows + duplicates.right.rows,
    mismatch_rate: windows > 0 ? bad / windows : 0,
  };

  const reasons: string[] = [];
  if (bad > 0 && summary.mismatch_rate > maxMismatchRate) {
    reasons.push(
      `${int(bad)} of ${int(windows)} (key, window) rows differ (${percent(summary.mismatch_rate)} > allowed ${percent(maxMismatchRate)})`,
    );
  }
  if (summary.duplicates > 0) reasons.push(`${int(summary.duplicates)} rows have a duplicated (key, window)`);
  for (const f of featureDiffs) {
    if (f.status === 'only_left') reasons.push(`feature ${f.name} exists only on the ${left.label} side`);
    if (f.status === 'only_right') reasons.push(`feature ${f.name} exists only on the ${right.label} side`);
    if (f.status === 'type_mismatch') {
      reasons.push(
        `feature ${f.name} is ${f.left_type} on the ${left.label} side and ${f.right_type} on the ${right.label} side`,
      );
    }
  }
  if (windows === 0) notes.push('both sides are empty: nothing was compared');

  const sideInfo = (side: DiffSide, rows: number): SideInfo => ({
    label: side.label,
    source: side.source,
    rows,
  });
  return {
    schema_version: 1,
    command: options.command,
    verdict: reasons.length > 0 ? 'fail' : 'pass',
    reasons,
    sides: { left: sideInfo(left, leftRows), right: sideInfo(right, rightRows) },
    keys: keyColumns,
    time_columns: timeColumns,
    tolerance: {
      ...baseTolerance,
      per_feature: Object.fromEntries(Object.entries(featureTolerances).sort()),
    },
    max_mismatch_rate: maxMismatchRate,
    summary,
    features: featureDiffs,
    top_keys: topKeys,
    samples,
    duplicates,
    notes,
    ...(options.mismatchesPath ? { mismatches_file: options.mismatchesPath } : {}),
    ...(diagnoses ? { diagnoses } : {}),
    plots,
  };
}

/** Summarise a side's table of duplicated (key, window) pairs (columns: align…, __n). */
async function describeDuplicates(
  session: Session,
  table: string,
  keyColumns: string[],
  timeColumns: string[],
  limit: number,
): Promise<DuplicateSide> {
  const align = [...keyColumns, ...timeColumns];
  const counts = (
    await session.rows(`SELECT count(*) AS groups, COALESCE(sum(__n), 0) AS rows FROM ${table}`)
  )[0]!;
  const rows = Number(counts.rows);
  if (rows === 0) return { groups: 0, rows: 0, examples: [] };
  const examples = await session.rows(
    `SELECT * FROM ${table} ORDER BY ${align.map((c) => `${quoteIdent(c)} ASC NULLS FIRST`).join(', ')} LIMIT ${limit}`,
  );
  return {
    groups: Number(counts.groups),
    rows,
    examples: examples.map((row) => ({
      key: Object.fromEntries(keyColumns.map((c) => [c, jsonValue(row[c])])),
      window: Object.fromEntries(timeColumns.map((c) => [c, jsonValue(row[c])])),
      count: Number(row.__n),
    })),
  };
}
