// `runDrift`: read two feature snapshots, test every shared feature for drift (KS for numeric,
// chi-square for categorical, a z-test on null rates), correct for multiple testing, and return a
// plain DriftResult. No output and no process exit here: the CLI renders and maps the verdict.
import { InputError, isSkewcheckError, messageOf, UsageError } from '../errors.js';
import { countRows, quoteIdent, registerSource, Session, type Source } from '../io/index.js';
import { compareCategoricalColumn } from './categorical.js';
import { describeClass, type PlannedFeature, planFeatures } from './feature-plan.js';
import { ksTwoSamplePValue } from './ks-pvalue.js';
import { adjustPValues } from './multiple-testing.js';
import { compareNullRates } from './null-rate.js';
import { chooseTransform, compareNumericColumn, measureColumns } from './numeric-ecdf.js';
import { computeDriftPlots } from './plot-data.js';
import type {
  DriftOptions,
  DriftResult,
  FeatureResult,
  NullRateResult,
  Quantiles,
  SideStats,
} from './types.js';
import {
  checkAlpha,
  checkEffect,
  compareSeverity,
  DRIFT_DEFAULTS,
  describeGate,
  exceedsGate,
  isDrift,
  isSchemaMismatch,
} from './verdict.js';

/** How many new/vanished categories to list by name. */
const CATEGORY_LIST_LIMIT = 10;
const TOP_SHIFTS = 5;

/** Descriptive statistics built from parallel floating-point sums are rounded to 12 significant
 * digits so that the JSON is byte-identical across runs and thread counts. */
function r12(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toPrecision(12));
}

function isDuckDbError(error: unknown): boolean {
  return error instanceof Error && /^[A-Z][A-Za-z ]* Error: /.test(error.message);
}

interface Snapshot {
  source: Source;
  relation: string;
  rows: number;
  what: string;
}

async function openSnapshot(
  session: Session,
  name: string,
  path: string,
  what: string,
  format: DriftOptions['format'],
): Promise<Snapshot> {
  const source = await registerSource(session, name, path, { format, what });
  const rows = await countRows(session, source, what);
  if (rows === 0) throw new InputError(`the ${what} ${path} has no rows`, { file: path });
  return { source, relation: quoteIdent(name), rows, what };
}

/** Text formats are parsed once into a table instead of once per query. */
async function materialise(session: Session, snapshot: Snapshot, columns: string[]): Promise<void> {
  if (!['csv', 'json', 'ndjson'].includes(snapshot.source.format) || columns.length === 0) return;
  const table = `${snapshot.source.name}_data`;
  try {
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT ${columns.map(quoteIdent).join(', ')} FROM ${snapshot.relation}`,
    );
  } catch (error) {
    throw new InputError(`cannot read ${snapshot.what} ${snapshot.source.path}: ${messageOf(error)}`, {
      file: snapshot.source.path,
    });
  }
  snapshot.relation = quoteIdent(table);
}

function quantileRecord(values: number[] | null): Quantiles | null {
  if (!values) return null;
  // Same order as QUANTILE_PERCENTS.
  const [p01, p25, p50, p75, p99] = values as [number, number, number, number, number];
  return { p01, p25, p50, p75, p99 };
}

function emptyNullRate(): NullRateResult {
  return { train: 0, prod: 0, change: 0, z: null, pvalue: null, pvalue_adjusted: null, drift: false };
}

function baseFeature(plan: PlannedFeature, train: SideStats, prod: SideStats): FeatureResult {
  return {
    name: plan.name,
    kind: plan.kind,
    status: 'tested',
    test: null,
    statistic: null,
    pvalue: null,
    pvalue_adjusted: null,
    method: null,
    dof: null,
    effect: null,
    effect_measure: null,
    drift: false,
    distribution_drift: false,
    null_rate_drift: false,
    train,
    prod,
    null_rate: emptyNullRate(),
    numeric: null,
    categorical: null,
    notes: [],
  };
}

function plural(n: number, word: string): string {
  const many = word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

function listText(list: { values: string[]; count: number }): string {
  const shown = list.values.map((v) => JSON.stringify(v)).join(', ');
  return list.count > list.values.length ? `${shown} and ${list.count - list.values.length} more` : shown;
}

/** Null counts of columns that are reported but not compared (one scan per snapshot). */
async function nullCounts(
  session: Session,
  snapshot: Snapshot,
  names: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (names.length === 0) return out;
  const reader = await session.connection.runAndReadAll(
    `SELECT ${names.map((n) => `(count(*) - count(${quoteIdent(n)}))::DOUBLE`).join(', ')} FROM ${snapshot.relation}`,
  );
  const cols = reader.getColumns();
  names.forEach((n, i) => {
    out.set(n, cols[i]![0] as number);
  });
  return out;
}

/** For a numeric-vs-text mismatch: how many text values are not numbers, and the smallest one. */
async function nonNumericExample(
  session: Session,
  snapshot: Snapshot,
  column: string,
): Promise<{ count: number; example: string | null }> {
  const c = quoteIdent(column);
  const reader = await session.connection.runAndReadAll(
    `SELECT count(*)::DOUBLE, min(${c}) FROM ${snapshot.relation}
     WHERE ${c} IS NOT NULL AND TRY_CAST(${c} AS DOUBLE) IS NULL`,
  );
  const [[count], [example]] = reader.getColumns() as [number[], (string | null)[]];
  return { count: count!, example: example ?? null };
}

export async function runDrift(options: DriftOptions): Promise<DriftResult> {
  const alpha = checkAlpha(options.alpha ?? DRIFT_DEFAULTS.alpha);
  const minEffect = checkEffect(options.minEffect ?? DRIFT_DEFAULTS.minEffect, '--min-effect');
  const minNullChange = checkEffect(
    options.minNullChange ?? DRIFT_DEFAULTS.minNullChange,
    '--min-null-change',
  );
  const correction = options.correction ?? DRIFT_DEFAULTS.correction;
  const maxDrifted = options.maxDrifted ?? DRIFT_DEFAULTS.maxDrifted;
  const psiBins = options.psiBins ?? DRIFT_DEFAULTS.psiBins;
  if (!Number.isInteger(psiBins) || psiBins < 2)
    throw new UsageError(`PSI needs at least 2 bins, got ${psiBins}`);
  const psiEpsilon = DRIFT_DEFAULTS.psiEpsilon;

  const session = await Session.open({ memoryLimit: options.memoryLimit, threads: options.threads });
  try {
    const train = await openSnapshot(
      session,
      'drift_train',
      options.trainPath,
      'training snapshot',
      options.format,
    );
    const prod = await openSnapshot(
      session,
      'drift_prod',
      options.prodPath,
      'production snapshot',
      options.format,
    );
    const plan = planFeatures({
      train: { path: options.trainPath, columns: train.source.columns },
      prod: { path: options.prodPath, columns: prod.source.columns },
      features: options.features,
      exclude: options.exclude,
      categorical: options.categorical,
    });
    if (plan.length === 0) {
      throw new UsageError('no feature columns left to compare (check --features and --exclude)');
    }
    const inTrain = new Set(train.source.columns.map((c) => c.name));
    const inProd = new Set(prod.source.columns.map((c) => c.name));
    await materialise(
      session,
      train,
      plan.filter((p) => inTrain.has(p.name)).map((p) => p.name),
    );
    await materialise(
      session,
      prod,
      plan.filter((p) => inProd.has(p.name)).map((p) => p.name),
    );
    const relations = { train: train.relation, prod: prod.relation };
    const rows = { train: train.rows, prod: prod.rows };

    const numericNames = plan
      .filter((p) => p.status === 'compare' && p.kind === 'numeric')
      .map((p) => p.name);
    const centres = await measureColumns(session, train.relation, numericNames);
    const fallback = numericNames.filter((n) => centres.get(n)?.mean === null);
    for (const [name, stats] of await measureColumns(session, prod.relation, fallback))
      centres.set(name, stats);

    const otherNames = plan.filter((p) => p.status !== 'compare');
    const trainNulls = await nullCounts(
      session,
      train,
      otherNames.filter((p) => p.typeTrain !== null).map((p) => p.name),
    );
    const prodNulls = await nullCounts(
      session,
      prod,
      otherNames.filter((p) => p.typeProd !== null).map((p) => p.name),
    );

    const features: FeatureResult[] = [];
    for (const p of plan) {
      try {
        if (p.status === 'compare' && p.kind === 'numeric') {
          features.push(await numericFeature(p));
        } else if (p.status === 'compare') {
          features.push(await categoricalFeature(p));
        } else {
          features.push(await reportedOnly(p));
        }
      } catch (error) {
        if (isSkewcheckError(error) || !isDuckDbError(error)) throw error;
        throw new InputError(`cannot compare column "${p.name}": ${messageOf(error)}`, { column: p.name });
      }
    }

    async function numericFeature(p: PlannedFeature): Promise<FeatureResult> {
      const stats = centres.get(p.name);
      const transform = chooseTransform(
        stats ?? { mean: null, std: null, min: null, logMean: null, logStd: null },
        rows.train + rows.prod,
        options.bucketsPerUnit,
      );
      const cmp = await compareNumericColumn(session, relations, p.name, rows, transform, {
        psiBins,
        psiEpsilon,
      });
      const side = (s: typeof cmp.train, type: string | null): SideStats => {
        const nulls = s.nulls + s.nan;
        return {
          type,
          rows: s.rows,
          nulls,
          null_rate: nulls / s.rows,
          count: s.finite + s.negInf + s.posInf,
          infinite: s.negInf + s.posInf,
          mean: r12(s.mean),
          std: r12(s.std),
          min: s.min,
          max: s.max,
          quantiles: quantileRecord(s.quantiles),
        };
      };
      const f = baseFeature(p, side(cmp.train, p.typeTrain), side(cmp.prod, p.typeProd));
      f.test = 'ks';
      f.effect_measure = 'ks_d';
      const std = cmp.train.std;
      const normalised = cmp.wasserstein !== null && std !== null && std > 0 ? cmp.wasserstein / std : null;
      f.numeric = {
        statistic_location: cmp.ks?.location ?? null,
        statistic_sign: cmp.ks?.sign ?? null,
        wasserstein: r12(cmp.wasserstein),
        wasserstein_normalized: r12(normalised),
        psi: cmp.psi,
      };
      if (cmp.ks) {
        const ks = ksTwoSamplePValue(f.train.count, f.prod.count, cmp.ks.d);
        f.statistic = ks.statistic;
        f.pvalue = ks.pvalue;
        f.method = ks.method;
        f.effect = ks.statistic;
      } else {
        f.status = 'cannot_test';
        const empty = f.train.count === 0 ? 'train' : 'prod';
        f.notes.push(
          `no non-missing values in ${empty}: the distribution cannot be tested (null rate still is)`,
        );
      }
      if (cmp.constant) {
        f.notes.push(
          `constant on both sides (train ${cmp.train.min}, prod ${cmp.prod.min}): D is well defined, ` +
            `${cmp.ks?.d === 0 ? '0 as the constants agree' : '1 as the constants differ'}`,
        );
      }
      if (cmp.wasserstein !== null && normalised === null) {
        f.notes.push('training values are constant: Wasserstein-1 is not normalised');
      }
      const infinite = (f.train.infinite ?? 0) + (f.prod.infinite ?? 0);
      if (infinite > 0) {
        f.notes.push(
          `${plural(infinite, 'infinite value')} (train ${f.train.infinite}, prod ${f.prod.infinite}) ordered as ±∞ ` +
            'in the KS test and PSI, left out of mean, std, quantiles and Wasserstein-1',
        );
      }
      const nan = cmp.train.nan + cmp.prod.nan;
      if (nan > 0) f.notes.push(`${plural(nan, 'NaN value')} counted as missing, like NULL`);
      if (p.typeTrain !== p.typeProd)
        f.notes.push(`types differ but are both numeric: ${p.typeTrain} vs ${p.typeProd}`);
      return f;
    }

    async function categoricalFeature(p: PlannedFeature): Promise<FeatureResult> {
      const cmp = await compareCategoricalColumn(session, relations, p.name, rows, {
        floatingPoint: p.floatingPoint,
        listLimit: CATEGORY_LIST_LIMIT,
        shiftLimit: TOP_SHIFTS,
      });
      const side = (s: typeof cmp.train, type: string | null): SideStats => ({
        type,
        rows: s.rows,
        nulls: s.nulls,
        null_rate: s.nulls / s.rows,
        count: s.rows - s.nulls,
        categories: s.categories,
      });
      const f = baseFeature(p, side(cmp.train, p.typeTrain), side(cmp.prod, p.typeProd));
      f.test = 'chi2';
      f.effect_measure = 'linf';
      f.categorical = {
        js_distance: cmp.jsDistance,
        linf: cmp.linf,
        new_categories: cmp.newCategories,
        vanished_categories: cmp.vanishedCategories,
        top_shifts: cmp.topShifts,
      };
      if (cmp.chi2) {
        f.statistic = cmp.chi2.statistic;
        f.pvalue = cmp.chi2.pvalue;
        f.dof = cmp.chi2.dof;
        f.method = 'asymp';
        f.effect = cmp.linf;
      } else {
        f.status = 'cannot_test';
        const empty = f.train.count === 0 ? 'train' : 'prod';
        f.notes.push(
          `no non-missing values in ${empty}: the distribution cannot be tested (null rate still is)`,
        );
      }
      if (cmp.newCategories.count > 0) {
        f.notes.push(
          `${plural(cmp.newCategories.count, 'category')} seen in prod but never in train: ${listText(cmp.newCategories)}`,
        );
      }
      const distinctShare = (x: SideStats) => (x.count > 100 ? (x.categories ?? 0) / x.count : 0);
      if (distinctShare(f.train) > 0.9 && distinctShare(f.prod) > 0.9) {
        f.notes.push('almost every value is distinct: this looks like an identifier; consider --exclude');
      }
      if (cmp.vanishedCategories.count > 0) {
        f.notes.push(
          `${plural(cmp.vanishedCategories.count, 'category')} seen in train but never in prod: ${listText(cmp.vanishedCategories)}`,
        );
      }
      return f;
    }

    async function reportedOnly(p: PlannedFeature): Promise<FeatureResult> {
      const side = (type: string | null, snapshotRows: number, nulls: number | undefined): SideStats => ({
        type,
        rows: type === null ? 0 : snapshotRows,
        nulls: nulls ?? 0,
        null_rate: type === null || snapshotRows === 0 ? 0 : (nulls ?? 0) / snapshotRows,
        count: type === null ? 0 : snapshotRows - (nulls ?? 0),
      });
      const f = baseFeature(
        p,
        side(p.typeTrain, rows.train, trainNulls.get(p.name)),
        side(p.typeProd, rows.prod, prodNulls.get(p.name)),
      );
      if (p.status === 'only_train' || p.status === 'only_prod') {
        f.status = p.status;
        const [here, there] =
          p.status === 'only_train'
            ? [options.trainPath, options.prodPath]
            : [options.prodPath, options.trainPath];
        f.notes.push(`column is in ${here} but not in ${there}`);
      } else if (p.status === 'type_mismatch') {
        f.status = 'type_mismatch';
        let message =
          `column "${p.name}" is ${describeClass(p.typeTrain!)} (${p.typeTrain}) in ${options.trainPath} ` +
          `but ${describeClass(p.typeProd!)} (${p.typeProd}) in ${options.prodPath}`;
        const textSide =
          describeClass(p.typeTrain!) === 'text'
            ? train
            : describeClass(p.typeProd!) === 'text'
              ? prod
              : null;
        const numberSide = [describeClass(p.typeTrain!), describeClass(p.typeProd!)].includes('numeric');
        if (textSide && numberSide) {
          const found = await nonNumericExample(session, textSide, p.name);
          if (found.count > 0) {
            message += `; ${plural(found.count, 'value')} there ${found.count === 1 ? 'is' : 'are'} not a number, e.g. ${JSON.stringify(found.example)}`;
          }
          if (textSide.source.format === 'csv')
            message += ' (a CSV column with any non-numeric value is read as text)';
        }
        f.notes.push(message);
      } else {
        f.status = 'skipped';
        f.notes.push(
          p.kind === 'temporal'
            ? `date/time column (${p.typeTrain}): not tested for drift; exclude it with --exclude`
            : `type ${p.typeTrain} is not supported: not tested; exclude it with --exclude`,
        );
      }
      return f;
    }

    // Null rates, for every feature that was compared.
    for (const f of features) {
      if (f.status !== 'tested' && f.status !== 'cannot_test') continue;
      const cmp = compareNullRates(f.train.nulls, f.train.rows, f.prod.nulls, f.prod.rows);
      f.null_rate = { ...cmp, pvalue_adjusted: null, drift: false };
    }

    // One multiple-testing family: every distribution test and every null-rate test of the run.
    const family: { p: number; set: (adjusted: number) => void }[] = [];
    for (const f of features) {
      if (f.pvalue !== null) family.push({ p: f.pvalue, set: (a) => (f.pvalue_adjusted = a) });
      const nr = f.null_rate;
      if (nr.pvalue !== null) family.push({ p: nr.pvalue, set: (a) => (nr.pvalue_adjusted = a) });
    }
    const adjusted = adjustPValues(
      family.map((t) => t.p),
      correction,
    );
    family.forEach((t, i) => {
      t.set(adjusted[i]!);
    });

    for (const f of features) {
      f.distribution_drift = isDrift(f.pvalue_adjusted, f.effect, alpha, minEffect);
      f.null_rate.drift = isDrift(
        f.null_rate.pvalue_adjusted,
        Math.abs(f.null_rate.change),
        alpha,
        minNullChange,
      );
      f.null_rate_drift = f.null_rate.drift;
      f.drift = f.distribution_drift || f.null_rate_drift;
    }
    features.sort(compareSeverity);
    // Aggregated chart data for the HTML report (binned ECDFs, histograms, category shares).
    const plots = await computeDriftPlots(session, relations, features);

    const tested = features.filter((f) => f.pvalue !== null || f.null_rate.pvalue !== null).length;
    const drifted = features.filter((f) => f.drift).length;
    const mismatches = features.filter(isSchemaMismatch);
    const summary = {
      features: features.length,
      tested,
      drifted,
      drifted_share: tested > 0 ? drifted / tested : 0,
      distribution_drifted: features.filter((f) => f.distribution_drift).length,
      null_rate_drifted: features.filter((f) => f.null_rate_drift).length,
      cannot_test: features.filter((f) => f.status === 'cannot_test').length,
      skipped: features.filter((f) => f.status === 'skipped').length,
      schema_mismatches: mismatches.length,
      tests: family.length,
    };
    const reasons: string[] = [];
    if (exceedsGate(summary, maxDrifted)) {
      const names = features.filter((f) => f.drift).map((f) => f.name);
      reasons.push(
        `${drifted} of ${tested} tested features drifted (${names.join(', ')}); the gate allows ${describeGate(maxDrifted)}`,
      );
    }
    for (const f of mismatches) {
      reasons.push(
        f.status === 'type_mismatch'
          ? `"${f.name}" has a different type in each snapshot (${f.train.type} vs ${f.prod.type})`
          : `"${f.name}" is only in the ${f.status === 'only_train' ? 'training' : 'production'} snapshot`,
      );
    }
    const notes: string[] = [];
    if (tested === 0)
      notes.push('no feature could be tested: every one is skipped, missing on a side or typed differently');
    return {
      schema_version: 1,
      command: 'drift',
      verdict: reasons.length > 0 ? 'fail' : 'pass',
      reasons,
      snapshots: {
        train: { source: options.trainPath, format: train.source.format, rows: train.rows },
        prod: { source: options.prodPath, format: prod.source.format, rows: prod.rows },
      },
      settings: {
        alpha,
        correction,
        min_effect: minEffect,
        min_null_change: minNullChange,
        max_drifted: maxDrifted,
        psi_bins: psiBins,
        psi_epsilon: psiEpsilon,
        categorical: [...(options.categorical ?? [])].sort(),
        excluded: [...(options.exclude ?? [])].sort(),
      },
      summary,
      features,
      notes,
      plots,
    };
  } finally {
    session.close();
  }
}
