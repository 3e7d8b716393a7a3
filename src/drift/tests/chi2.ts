// Chi-square test of homogeneity for categorical features (categorical.ts), gated on the total
// variation distance between category shares (½ Σ |p - q|: mass moving to categories never seen
// in training counts in full, unlike the largest single shift L∞), with the Jensen–Shannon
// distance, the largest share shifts and the categories seen on one side only.
import { type CategoricalComparison, compareCategoricalColumn } from '../categorical.js';
import type { PlannedFeature } from '../feature-plan.js';
import { baseFeature, listText, markCannotTest, plural } from '../feature-result.js';
import type { FeatureResult, SideStats } from '../types.js';
import { compareEach, type DriftTest } from './drift-test.js';

/** How many new/vanished categories to list by name. */
const CATEGORY_LIST_LIMIT = 10;
const TOP_SHIFTS = 5;

export const chi2Test: DriftTest<'chi2'> = {
  name: 'chi2',
  kind: 'categorical',
  effectMeasure: 'total_variation',
  effectLabel: 'TV',
  describeStatistic: (statistic, f, { num }) => `χ² ${num(statistic, 5)} (${f.dof} df)`,
  compare: (context, features) =>
    compareEach(features, async (p) => {
      const cmp = await compareCategoricalColumn(context.session, context.relations, p.name, context.rows, {
        floatingPoint: p.floatingPoint,
        listLimit: CATEGORY_LIST_LIMIT,
        shiftLimit: TOP_SHIFTS,
      });
      return categoricalResult(p, cmp);
    }),
};

function sideStats(s: CategoricalComparison['train'], type: string | null): SideStats {
  return {
    type,
    rows: s.rows,
    nulls: s.nulls,
    null_rate: s.nulls / s.rows,
    count: s.rows - s.nulls,
    categories: s.categories,
  };
}

function categoricalResult(p: PlannedFeature, cmp: CategoricalComparison): FeatureResult {
  const f = baseFeature(p, sideStats(cmp.train, p.typeTrain), sideStats(cmp.prod, p.typeProd));
  f.test = 'chi2';
  f.effect_measure = 'total_variation';
  f.categorical = {
    js_distance: cmp.jsDistance,
    total_variation: cmp.totalVariation,
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
    f.effect = cmp.totalVariation;
  } else {
    markCannotTest(f);
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
