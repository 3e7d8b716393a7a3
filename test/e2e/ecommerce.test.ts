import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, skewcheck } from './cli.js';

const SAMPLE = join(ROOT, 'samples/ecommerce');

describe('e-commerce sample: products viewed in the last 30 days (hopping 30d / 1h)', () => {
  it('batch SQL and the streaming module agree on every window', () => {
    const run = skewcheck([
      'replay',
      '--events',
      join(SAMPLE, 'views.parquet'),
      '--batch',
      join(SAMPLE, 'features.sql'),
      '--stream',
      join(SAMPLE, 'features.ts'),
      '--key',
      'user_id',
      '--json',
      '-',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.verdict).toBe('pass');
    // 720 windows per view, merged per user and hour: far more windows than views.
    expect(result.summary.matched).toBeGreaterThan(100_000);
    expect(result.summary.matched).toBe(result.summary.windows);
    expect(result.features.map((f: { name: string }) => f.name)).toEqual([
      'products_viewed_30d',
      'views_30d',
    ]);
  });
});
