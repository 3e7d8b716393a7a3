// The registry of distribution tests: one entry per name in test-names.ts (the mapped type makes
// a missing or extra entry a compile error), and the test each feature kind gets.
import type { TestName } from '../test-names.js';
import type { ComparedKind } from '../types.js';
import { chi2Test } from './chi2.js';
import type { DriftTest } from './drift-test.js';
import { ksTest } from './ks.js';

export type { ComparisonContext, DriftTest } from './drift-test.js';

export const DRIFT_TESTS: { readonly [N in TestName]: DriftTest<N> } = { ks: ksTest, chi2: chi2Test };

/** The test each comparable feature kind gets. */
export const TEST_FOR_KIND: { readonly [K in ComparedKind]: TestName } = {
  numeric: 'ks',
  categorical: 'chi2',
};
