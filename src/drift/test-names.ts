// The distribution tests a drift run applies, each with the effect size its verdict gates on.
// Adding a test starts here: the registry in tests/index.ts must then hold a DriftTest for the
// new name (a compile error until it does), and the schema's enums a test checks against this.
export const TEST_EFFECTS = { ks: 'ks_d', chi2: 'total_variation' } as const;

/** A distribution test: `ks` (numeric features), `chi2` (categorical features). */
export type TestName = keyof typeof TEST_EFFECTS;
/** The effect size of a test, as the result's `effect_measure` names it. */
export type EffectMeasure = (typeof TEST_EFFECTS)[TestName];
