// The aggregated plot data of a drift result (src/drift/plot-data.ts): counts that add up, the
// exact KS gap, the largest categories, bounded and deterministic.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDrift } from '../../src/drift/index.js';
import {
  type CategoricalDriftPlot,
  computeDriftPlotsFromFiles,
  type DriftPlots,
  type NumericDriftPlot,
  TOP_CATEGORIES,
} from '../../src/drift/plot-data.js';
import type { DriftResult } from '../../src/drift/types.js';
import { tempDir } from '../e2e/cli.js';

let result: DriftResult;
let plots: DriftPlots;

beforeAll(async () => {
  result = await runDrift({
    trainPath: 'samples/fraud/train.parquet',
    prodPath: 'samples/fraud/prod.parquet',
    exclude: ['user_id', 'snapshot_ts'],
    threads: 1,
  });
  plots = await computeDriftPlotsFromFiles(result);
});

const numeric = (name: string) => plots.features.find((p) => p.feature === name) as NumericDriftPlot;
const categorical = (name: string) => plots.features.find((p) => p.feature === name) as CategoricalDriftPlot;
const feature = (name: string) => result.features.find((f) => f.name === name)!;

describe('drift plot data', () => {
  it('has one entry per tested feature, in the order of the result', () => {
    expect(plots.features.map((p) => p.feature)).toEqual(
      result.features.filter((f) => f.status === 'tested').map((f) => f.name),
    );
  });

  it('counts every non-missing value once: below the range, in a bin, or above it', () => {
    for (const plot of plots.features.filter((p): p is NumericDriftPlot => p.kind === 'numeric')) {
      const f = feature(plot.feature);
      for (const side of ['train', 'prod'] as const) {
        const s = plot[side];
        expect(s.n, `${plot.feature} ${side}`).toBe(f[side].count);
        expect(s.below + s.above + s.counts.reduce((a, b) => a + b, 0)).toBe(s.n);
        // The range is the 1st to 99th percentile: about 2% of the values are outside.
        expect((s.below + s.above) / s.n).toBeLessThan(0.05);
      }
      expect(plot.lo).toBeLessThan(plot.hi);
      expect(plot.lo + plot.width * plot.train.counts.length).toBeCloseTo(plot.hi, 9);
    }
  });

  it('gives the exact ECDF values where KS D is attained: their gap is D', () => {
    for (const plot of plots.features.filter((p): p is NumericDriftPlot => p.kind === 'numeric')) {
      const f = feature(plot.feature);
      expect(plot.ks!.x).toBe(f.numeric!.statistic_location);
      expect(Math.abs(plot.ks!.train - plot.ks!.prod)).toBeCloseTo(f.statistic!, 12);
    }
  });

  it('gives an integer feature with a small range one bin per value', () => {
    const plot = numeric('txn_count_24h');
    expect(plot.integer).toBe(true);
    expect(plot.width).toBe(1);
    expect(plot.lo % 1).toBe(-0.5);
    expect(numeric('distance_from_home_km').integer).toBe(false);
    expect(numeric('distance_from_home_km').train.counts).toHaveLength(100);
  });

  it('lists the categories that weigh most on either side, new ones included', () => {
    const plot = categorical('country');
    const f = feature('country');
    expect(plot.train_n).toBe(f.train.count);
    expect(plot.distinct).toBe(7);
    expect(plot.categories.length).toBeLessThanOrEqual(TOP_CATEGORIES);
    const share = (c: { train: number; prod: number }) =>
      Math.max(c.train / plot.train_n, c.prod / plot.prod_n);
    const shares = plot.categories.map(share);
    expect([...shares].sort((a, b) => b - a)).toEqual(shares);
    expect(plot.categories.find((c) => c.value === 'BR')).toMatchObject({ train: 0 });
    expect(plot.categories.reduce((n, c) => n + c.train, 0)).toBe(plot.train_n);
  });

  it('is deterministic and valid against the drift result schema', async () => {
    expect(await computeDriftPlotsFromFiles(result)).toEqual(plots);
    // The run bins numeric features from its sorted values; reading the files again in SQL agrees.
    expect(result.plots).toEqual(plots);
    const schema = JSON.parse(readFileSync('schema/drift-result.schema.json', 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(JSON.parse(JSON.stringify({ ...result, plots }))) || validate.errors).toBe(true);
  });

  it('reads CSV snapshots too, and leaves out NaN and NULL', async () => {
    const dir = tempDir();
    const train = join(dir, 'train.csv');
    const prod = join(dir, 'prod.csv');
    writeFileSync(train, `x,c\n${[1, 2, 3, 4, 'nan', ''].map((v, i) => `${v},${'ab'[i % 2]}`).join('\n')}\n`);
    writeFileSync(prod, `x,c\n${[3, 4, 5, 6, 7, 8].map((v, i) => `${v}.5,${'abc'[i % 3]}`).join('\n')}\n`);
    const small = await runDrift({ trainPath: train, prodPath: prod, threads: 1 });
    const smallPlots = await computeDriftPlotsFromFiles(small);
    const x = smallPlots.features.find((p) => p.feature === 'x') as NumericDriftPlot;
    expect(x.train.n).toBe(4);
    expect(x.prod.n).toBe(6);
    const c = smallPlots.features.find((p) => p.feature === 'c') as CategoricalDriftPlot;
    expect(c.categories.map((v) => [v.value, v.train, v.prod])).toEqual([
      ['a', 3, 2],
      ['b', 3, 2],
      ['c', 0, 2],
    ]);
  });
});
