// The diff engine: aligns two feature tables on key + window in DuckDB, classifies every
// (key, window) as match / mismatch / only-left / only-right, sets duplicates aside, and
// summarises per feature and per key. All row-level work is SQL; JS sees only aggregates
// and a bounded sample. The phases live in plan.ts, align.ts and summarise.ts.
import { InputError } from '../errors.js';
import { copyQueryToFile, quoteIdent, type Session } from '../io/index.js';
import { alignSides, dropAligned, J } from './align.js';
import { type DiffOptions, type DiffPlan, type DiffSide, type JoinedRows, planDiff } from './plan.js';
import { computeDiffPlots } from './plot-data.js';
import {
  alignOrder,
  featureDiffs,
  readTotals,
  sampleDifferences,
  type Totals,
  topOffendingKeys,
} from './summarise.js';
import type { DiffResult, DiffSummary, SideInfo } from './types.js';
import { diffReasons, NOTHING_COMPARED_NOTE } from './verdict.js';

export type { DiffOptions, JoinedRows } from './plan.js';

/** Every differing row, for audit, with `<feature>__<label>` value columns and `<feature>__differs`. */
async function writeMismatches(session: Session, options: DiffOptions, plan: DiffPlan, path: string) {
  const columns = [
    ...plan.alignColumns.map(quoteIdent),
    `CAST(__status AS VARCHAR) AS status`,
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

/**
 * Most features handed to the diagnosis: those with the most differing rows. A wide diff (hundreds
 * of features) would otherwise cost the diagnosis a pass per check per feature; the rows to
 * explain are the same, and an agreeing feature has nothing to explain.
 */
const DIAGNOSED_FEATURES = 32;

function joinedRows(session: Session, options: DiffOptions, plan: DiffPlan, totals: Totals): JoinedRows {
  const diagnosed =
    plan.comparable.length <= DIAGNOSED_FEATURES
      ? plan.comparable
      : plan.comparable
          .map((f) => ({ f, mismatches: totals.n(`m${f.index}`) }))
          .sort((a, b) => b.mismatches - a.mismatches || a.f.index - b.f.index)
          .slice(0, DIAGNOSED_FEATURES)
          .sort((a, b) => a.f.index - b.f.index)
          .map(({ f }) => f);
  return {
    session,
    table: J,
    keyColumns: options.keyColumns,
    timeColumns: plan.timeColumns,
    left: options.left,
    right: options.right,
    features: diagnosed.map((f) => ({
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

/** Offending keys kept in a result (`top_keys`). */
export const DEFAULT_TOP_KEYS = 10;

export async function diffTables(session: Session, options: DiffOptions): Promise<DiffResult> {
  const { left, right, keyColumns } = options;
  const sampleSize = options.sampleSize ?? 20;
  const maxMismatchRate = options.maxMismatchRate ?? 0;
  const plan = await planDiff(session, options);
  const { notes } = plan;

  const { duplicates, rows } = await alignSides(session, options, plan, sampleSize);
  const totals = await readTotals(session, plan);
  const { n } = totals;
  const nothing = n('windows') === 0 && duplicates.left.rows + duplicates.right.rows === 0;
  // A shard of a non-empty input may hold none of the keys: the merge judges the whole run.
  if (nothing && !((options.shardOf?.inputRows ?? 0) > 0)) {
    // Nothing compared is not agreement: a PASS here would vouch for rows nobody saw.
    throw new InputError(`nothing to compare: ${left.describe} and ${right.describe} both have no rows`, {
      file: left.source,
    });
  }
  // An empty shard has no rows to tell its features by (a stream that emitted nothing has no
  // feature columns): it lists none, and the merge takes them from the shards that have rows.
  const features = nothing ? [] : featureDiffs(plan, totals);
  const topKeys = await topOffendingKeys(session, options, plan, options.topKeys ?? DEFAULT_TOP_KEYS);
  const samples = await sampleDifferences(session, options, plan, sampleSize);
  if (options.mismatchesPath) await writeMismatches(session, options, plan, options.mismatchesPath);
  const diagnoses = options.inspect
    ? await options.inspect(joinedRows(session, options, plan, totals))
    : undefined;

  // Aggregated, size-bounded data for the report's charts.
  const plots = await computeDiffPlots(session, {
    everyFeature: options.shardOf !== undefined,
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

  const { left: leftRows, right: rightRows } = rows;
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
  const reasons = diffReasons(summary, features, maxMismatchRate, { left: left.label, right: right.label });
  if (windows === 0) notes.push(NOTHING_COMPARED_NOTE);

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
