// `runDrift`: read two feature snapshots, test every shared feature for drift (the distribution
// test its kind gets from the registry in tests/, and a z-test on null rates), correct for
// multiple testing, and return a plain DriftResult. No output and no process exit here: the CLI
// renders and maps the verdict.
import { InputError, UsageError } from '../errors.js';
import { Session } from '../io/index.js';
import { adjustFamily, decideFeatures, failureReasons, summarise, testNullRates } from './decide.js';
import { type PlannedFeature, planFeatures } from './feature-plan.js';
import { driftPhase } from './phase-log.js';
import { computeDriftPlots } from './plot-data.js';
import { reportedOnlyFeatures } from './reported-only.js';
import { materialise, openSnapshotPair, type Snapshot, sameSnapshotFile } from './snapshot.js';
import { type ComparisonContext, DRIFT_TESTS, TEST_FOR_KIND } from './tests/index.js';
import type { ComparedKind, DriftOptions, DriftResult, DriftSettings, FeatureResult } from './types.js';
import { compareSeverity, isSchemaMismatch, resolveSettings } from './verdict.js';

export async function runDrift(options: DriftOptions): Promise<DriftResult> {
  const settings = resolveSettings(options);
  driftPhase('started');
  const session = await Session.open({ memoryLimit: options.memoryLimit, threads: options.threads });
  try {
    const { snapshots, plan } = await openAndPlan(session, options);
    driftPhase('snapshots opened');
    const context: ComparisonContext = {
      session,
      relations: { train: snapshots.train.relation, prod: snapshots.prod.relation },
      rows: { train: snapshots.train.rows, prod: snapshots.prod.rows },
      settings,
      threads: options.threads,
      numericPlots: new Map(),
      sameFile: sameSnapshotFile(snapshots.train, snapshots.prod),
    };
    const features = await compareFeatures(context, snapshots, plan);
    driftPhase('features compared');
    refuseNothingCompared(features, snapshots);
    testNullRates(features);
    const tests = adjustFamily(features, settings.correction);
    decideFeatures(features, settings);
    features.sort(compareSeverity);
    // Aggregated chart data for the HTML report (binned ECDFs, histograms, category shares).
    const plots = await computeDriftPlots(session, context.relations, features, context.numericPlots);
    driftPhase('plots computed');
    return assembleResult({ snapshots, settings, features, tests, plots });
  } finally {
    session.close();
  }
}

/** Register both snapshots, match their columns into a plan, and parse text formats once. */
async function openAndPlan(
  session: Session,
  options: DriftOptions,
): Promise<{ snapshots: { train: Snapshot; prod: Snapshot }; plan: PlannedFeature[] }> {
  const { trainPath, prodPath, format } = options;
  const { train, prod } = await openSnapshotPair(session, { trainPath, prodPath, format });
  const plan = planFeatures({
    train: { path: trainPath, columns: train.source.columns },
    prod: { path: prodPath, columns: prod.source.columns },
    features: options.features,
    exclude: options.exclude,
    categorical: options.categorical,
  });
  if (plan.length === 0) {
    throw new UsageError('no feature columns left to compare (check --features and --exclude)');
  }
  for (const snapshot of [train, prod]) {
    const present = new Set(snapshot.source.columns.map((c) => c.name));
    await materialise(
      session,
      snapshot,
      plan.filter((p) => present.has(p.name)).map((p) => p.name),
    );
  }
  return { snapshots: { train, prod }, plan };
}

/** Each kind's test on its features, then the features reported without a test; in plan order. */
export async function compareFeatures(
  context: ComparisonContext,
  snapshots: { train: Snapshot; prod: Snapshot },
  plan: PlannedFeature[],
): Promise<FeatureResult[]> {
  const byName = new Map<string, FeatureResult>();
  for (const [kind, name] of Object.entries(TEST_FOR_KIND) as [ComparedKind, keyof typeof DRIFT_TESTS][]) {
    const features = plan.filter((p) => p.status === 'compare' && p.kind === kind);
    if (features.length === 0) continue;
    for (const f of await DRIFT_TESTS[name].compare(context, features)) byName.set(f.name, f);
  }
  const others = plan.filter((p) => p.status !== 'compare');
  for (const f of await reportedOnlyFeatures({ context, snapshots, features: others })) byName.set(f.name, f);
  return plan.map((p) => byName.get(p.name)!);
}

/**
 * A run in which no feature could be compared is not a pass: when no schema mismatch fails it
 * already, it is an input error naming the skipped columns.
 */
export function refuseNothingCompared(
  features: FeatureResult[],
  snapshots: { train: Snapshot; prod: Snapshot },
): void {
  if (features.some((f) => f.status === 'tested' || f.status === 'cannot_test' || isSchemaMismatch(f)))
    return;
  const names = features.map((f) => `"${f.name}" (${f.train.type})`).join(', ');
  throw new InputError(
    `nothing to compare between ${snapshots.train.source.path} and ${snapshots.prod.source.path}: ` +
      `no feature column has a type a drift test applies to (${names}); dates, times, nested and binary ` +
      'columns are not tested — cast them in the snapshot or name numeric or text columns with --features',
    { file: snapshots.train.source.path },
  );
}

export interface ResultParts {
  snapshots: { train: Snapshot; prod: Snapshot };
  settings: DriftSettings;
  features: FeatureResult[];
  tests: number;
  plots: DriftResult['plots'];
}

export function assembleResult({ snapshots, settings, features, tests, plots }: ResultParts): DriftResult {
  const summary = summarise(features, tests);
  const reasons = failureReasons(features, summary, settings);
  const notes: string[] = [];
  if (summary.tested === 0)
    notes.push('no feature could be tested: every one is skipped, missing on a side or typed differently');
  const info = (s: Snapshot) => ({ source: s.source.path, format: s.source.format, rows: s.rows });
  return {
    schema_version: 1,
    command: 'drift',
    verdict: reasons.length > 0 ? 'fail' : 'pass',
    reasons,
    snapshots: { train: info(snapshots.train), prod: info(snapshots.prod) },
    settings,
    summary,
    features,
    notes,
    plots,
  };
}
