// The drift-test registry is the one list of tests: names, effect measures, the schema's enums
// and the renderers all follow from it, and a missed step is a type error (checked by tsc, which
// `npm test` runs over test/ too) or a failure here.
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { TEST_EFFECTS, type TestName } from '../../src/drift/test-names.js';
import { DRIFT_TESTS, type DriftTest, TEST_FOR_KIND } from '../../src/drift/tests/index.js';
import type { ComparedKind, EffectMeasure, FeatureResult } from '../../src/drift/types.js';
import { effectText, statisticText } from '../../src/report/drift-text.js';

const schema = JSON.parse(
  readFileSync(new URL('../../schema/drift-result.schema.json', import.meta.url), 'utf8'),
) as { definitions: { feature: { properties: Record<string, { enum: unknown[] }> } } };

describe('drift test registry', () => {
  it('derives the names and effect measures from one table', () => {
    expectTypeOf<TestName>().toEqualTypeOf<keyof typeof DRIFT_TESTS>();
    expectTypeOf<EffectMeasure>().toEqualTypeOf<(typeof DRIFT_TESTS)[TestName]['effectMeasure']>();
    expectTypeOf<FeatureResult['test']>().toEqualTypeOf<TestName | null>();
    expectTypeOf<FeatureResult['effect_measure']>().toEqualTypeOf<EffectMeasure | null>();
  });

  it('makes each missed step a type error', () => {
    // @ts-expect-error a registry without an entry for every name does not compile
    const missing: { [N in TestName]: DriftTest<N> } = { ks: DRIFT_TESTS.ks };
    // @ts-expect-error nor does one with a test whose name is not in test-names.ts
    const extra: { [N in TestName]: DriftTest<N> } = { ...DRIFT_TESTS, psi: DRIFT_TESTS.ks };
    // @ts-expect-error a test must say how its statistic reads (no default such as χ²)
    const silent: DriftTest<'ks'> = { ...DRIFT_TESTS.ks, describeStatistic: undefined };
    // @ts-expect-error and which effect measure it gates on, the one test-names.ts gives it
    const wrongEffect: DriftTest<'ks'> = { ...DRIFT_TESTS.ks, effectMeasure: 'linf' };
    // @ts-expect-error every comparable feature kind gets a test
    const unmapped: { [K in ComparedKind]: TestName } = { numeric: 'ks' };
    expect([missing, extra, silent, wrongEffect, unmapped]).toHaveLength(5);
  });

  it('keys every test by its own name, with the effect measure of test-names.ts', () => {
    for (const [name, test] of Object.entries(DRIFT_TESTS)) {
      expect(test.name).toBe(name);
      expect(test.effectMeasure).toBe(TEST_EFFECTS[name as TestName]);
      expect(TEST_FOR_KIND[test.kind]).toBe(name);
    }
  });

  it('matches the JSON schema enums', () => {
    const props = schema.definitions.feature.properties;
    expect(props.test!.enum).toEqual([...Object.keys(DRIFT_TESTS), null]);
    expect(props.effect_measure!.enum).toEqual([...Object.values(TEST_EFFECTS), null]);
    const chunk = (
      schema as unknown as {
        properties: { chunks: { properties: { features: { items: { properties: typeof props } } } } };
      }
    ).properties.chunks.properties.features.items.properties;
    expect(chunk.test!.enum).toEqual(props.test!.enum);
    expect(chunk.effect_measure!.enum).toEqual(props.effect_measure!.enum);
  });

  it('prints each statistic through its own test', () => {
    const feature = (test: TestName, dof: number | null) =>
      ({
        test,
        statistic: 12.5,
        dof,
        effect: 0.25,
        numeric: null,
        categorical: null,
      }) as unknown as FeatureResult;
    expect(statisticText(feature('ks', null))).toBe('KS D 12.5');
    expect(statisticText(feature('ks', null), true)).toBe('D 12.5');
    expect(statisticText(feature('chi2', 3))).toBe('χ² 12.5 (3 df)');
    expect(effectText(feature('ks', null))).toBe('D 0.25');
    expect(effectText(feature('chi2', 3))).toBe('TV 0.25');
  });
});
