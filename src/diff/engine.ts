// The diff engine: aligns two feature tables on key + window in DuckDB, classifies every
// (key, window) as match / mismatch / only-left / only-right, sets duplicates aside, and
// summarises per feature and per key. All row-level work is SQL; JS sees only aggregates
// and a bounded sample. The phases live in plan.ts, align.ts and summarise.ts.
import { InputError } from '../errors.js';
import { copyQueryToFile, quoteIdent, type Session } from '../io/index.js';
import { int, percent } from '../report/format.js';
import { alignSides, dropAligned, J } from './align.js';
import { type DiffOptions, type DiffPlan, type DiffSide, type JoinedRows, planDiff } from './plan.js';
import { computeDiffPlots } from './plot-data.js';
import { alignOrder, featureDiffs, readTotals, sampleDifferences, topOffendingKeys } from './summarise.js';
import type { DiffResult, DiffSummary, FeatureDiff, SideInfo } from './types.js';

export type { DiffOptions, JoinedRows } from './plan.js';

/** Every differing row, for audit, with `<feature>__<label>` value columns and `<feature>__differs`. */
async function writeMismatches(session: Session, options: DiffOptions, plan: DiffPlan, path: string) {
  const columns = [
    ...plan.alignColumns.map(quoteIdent),
    `__status AS status`,
    ...plan.comparable.flatMap((f) => [
      `__l${f.index} AS ${quoteIdent(`${f.name}__${options.left.label}`)}`,
      `__r${f.index} AS ${quoteIdent(`${f.name}__${options.right.label}`)}`,
      `COALESCE(__m${f.index}, false) AS ${quoteIdent(`${f.name}__differs`)}`,
    ]),
  ];
  await copyQueryToFile(
    session,
    `SELECT ${columns.join(', ')} FROM ${J} WHERE __status <> 'match' ORDER BY ${alignOrder(plan)}`,
    path,
  );
}

function joinedRows(session: Session, options: DiffOptions, plan: DiffPlan): JoinedRows {
  return {
    session,
    table: J,
    keyColumns: options.keyColumns,
    timeColumns: plan.timeColumns,
    left: options.left,
    right: options.right,
    features: plan.comparable.map((f) => ({
      name: f.name,
      status: f.status,
      numeric: f.numeric,
      leftType: f.leftType,
      rightType: f.rightType,
      tolerance: f.tolerance,
      leftColumn: `__l${f.index}`,
      rightColumn: `__r${f.index}`,
      differsColumn: `__m${f.index}`,
    })),
  };
}

/** Why the diff fails: too many differing rows, duplicates, features on one side or of two types. */
function failureReasons(
  options: DiffOptions,
  summary: DiffSummary,
  features: FeatureDiff[],
  maxMismatchRate: number,
): string[] {
  const { left, right } = options;
  const reasons: string[] = [];
  const bad = summary.mismatched + summary.only_left + summary.only_right;
  if (bad > 0 && summary.mismatch_rate > maxMismatchRate) {
    reasons.push(
      `${int(bad)} of ${int(summary.windows)} (key, window) rows differ (${percent(summary.mismatch_rate)} > allowed ${percent(maxMismatchRate)})`,
    );
  }
  if (summary.duplicates > 0) reasons.push(`${int(summary.duplicates)} rows have a duplicated (key, window)`);
  for (const f of features) {
    if (f.status === 'only_left') reasons.push(`feature ${f.name} exists only on the ${left.label} side`);
    if (f.status === 'only_right') reasons.push(`feature ${f.name} exists only on the ${right.label} side`);
    if (f.status === 'type_mismatch') {
      reasons.push(
        `feature ${f.name} is ${f.left_type} on the ${left.label} side and ${f.right_type} on the ${right.label} side`,
      );
    }
  }
  return reasons;
}

export async function diffTables(session: Session, options: DiffOptions): Promise<DiffResult> {
  const { left, right, keyColumns } = options;
  const sampleSize = options.sampleSize ?? 20;
  const maxMismatchRate = options.maxMismatchRate ?? 0;
  const plan = await planDiff(session, options);
  const { notes } = plan;

  const duplicates = await alignSides(session, options, plan, sampleSize);
  const totals = await readTotals(session, plan);
  const { n } = totals;
  if (n('windows') === 0 && duplicates.left.rows + duplicates.right.rows === 0) {
    // Nothing compared is not agreement: a PASS here would vouch for rows nobody saw.
    throw new InputError(`nothing to compare: ${left.describe} and ${right.describe} both have no rows`, {
      file: left.source,
    });
  }
  const features = featureDiffs(plan, totals);
  const topKeys = await topOffendingKeys(session, options, plan, options.topKeys ?? 10);
  const samples = await sampleDifferences(session, options, plan, sampleSize);
  if (options.mismatchesPath) await writeMismatches(session, options, plan, options.mismatchesPath);
  const diagnoses = options.inspect ? await options.inspect(joinedRows(session, options, plan)) : undefined;

  // Aggregated, size-bounded data for the report's charts.
  const plots = await computeDiffPlots(session, {
    table: J,
    keyColumns,
    timeColumns: plan.timeColumns,
    features: plan.comparable.map((f) => ({
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
  await dropAligned(session);

  const windows = n('windows');
  const bad = n('mismatched') + n('only_left') + n('only_right');
  const summary: DiffSummary = {
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
  const reasons = failureReasons(options, summary, features, maxMismatchRate);
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
    time_columns: plan.timeColumns,
    tolerance: {
      ...plan.baseTolerance,
      per_feature: Object.fromEntries(Object.entries(plan.featureTolerances).sort()),
    },
    max_mismatch_rate: maxMismatchRate,
    summary,
    features,
    top_keys: topKeys,
    samples,
    duplicates,
    notes,
    ...(options.mismatchesPath ? { mismatches_file: options.mismatchesPath } : {}),
    ...(diagnoses ? { diagnoses } : {}),
    plots,
  };
}
