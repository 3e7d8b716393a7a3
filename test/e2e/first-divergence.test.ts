// `replay --bisect-sample`: the first divergent events in the JSON result (schema-valid) and in
// the terminal report, on the zoo's inclusive-window-end case.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ROOT, skewcheck } from './cli.js';

const ZOO = join(ROOT, 'samples/zoo/window_boundary');
const base = [
  'replay',
  '--events',
  join(ZOO, 'events.parquet'),
  '--batch',
  join(ZOO, 'features.sql'),
  '--stream',
  join(ZOO, 'features.skewed.ts'),
  '--key',
  'client_id',
];

describe('replay --bisect-sample', () => {
  it('bisects sampled rows to the event on the window bound, and says what they share', () => {
    const run = skewcheck([...base, '--bisect-sample', '8', '--json', '-']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/diff-result.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate.errors ?? validate(result)).toBe(true);
    const found = result.first_divergence;
    expect(found.sampled).toBe(8);
    expect(found.events.length).toBeGreaterThan(0);
    for (const e of found.events) {
      // The request at exactly the end of the minute the stream counts in the minute that ended.
      expect(e.event.ts).toMatch(/:00\.000Z$/);
      expect(e.event.ts).toBe(e.window.window_end);
      expect(Object.keys(e.event)).toEqual(['request_id', 'client_id', 'bytes', 'ts']);
    }
    expect(found.profile[0]).toMatchObject({
      column: 'ts',
      predicate: 'on_window_bound',
      tier: 'consistent',
    });
    expect(run.stderr).toContain('First divergent events');
    expect(run.stderr).toMatch(/ts on a window bound in \d+ of \d+ first-divergent events/);
  });

  it('--bisect-sample 0 leaves it out; a bad value is a usage error', () => {
    const off = skewcheck([...base, '--bisect-sample', '0', '--json', '-']);
    expect(off.code).toBe(1);
    expect(JSON.parse(off.stdout).first_divergence).toBeUndefined();
    const bad = skewcheck([...base, '--bisect-sample', 'some']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--bisect-sample must be a whole number/);
  });
});
