// `replay --bisect-sample`: the first divergent events in the JSON result (schema-valid) and in
// the terminal report, on the zoo's inclusive-window-end case.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ROOT, skewcheck, tempDir } from './cli.js';

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

describe('the bisection runs fenced like the replay', () => {
  const SHIFT = join(ROOT, 'samples/zoo/time_shift');
  const shifted = (stream: string, sql = join(SHIFT, 'features.sql')) => [
    'replay',
    '--events',
    join(SHIFT, 'events.parquet'),
    '--batch',
    sql,
    '--stream',
    stream,
    '--key',
    'customer_id',
    '--json',
    '-',
  ];

  it('a module that hangs only on a short prefix is stopped by --timeout and counted as failed', () => {
    const dir = tempDir();
    const stream = join(dir, 'hangs-on-prefixes.ts');
    // The whole log (800 events) ends normally; a probe's few events never do.
    writeFileSync(
      stream,
      `import skewed from ${JSON.stringify(join(SHIFT, 'features.skewed.ts'))};
let seen = 0;
export default {
  onEvent(e: any, ctx: any) { seen++; skewed.onEvent(e, ctx); },
  onEnd(ctx: any) { if (seen < 100) for (;;) {} skewed.onEnd?.(ctx); },
};`,
    );
    const started = Date.now();
    const run = skewcheck([...shifted(stream), '--bisect-sample', '2', '--timeout', '1s']);
    expect(run.code, run.stderr).toBe(1);
    const found = JSON.parse(run.stdout).first_divergence;
    expect(found.sampled).toBe(2);
    expect(found.failed).toBeGreaterThanOrEqual(1);
    expect(found.failed).toBe(found.sampled - found.without_events);
    expect(found.events).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('the batch SQL of each probe runs in a fresh fenced database (a table it creates does not collide)', () => {
    const dir = tempDir();
    const sql = join(dir, 'staged.sql');
    writeFileSync(
      sql,
      `CREATE TABLE staged AS SELECT * FROM events;\n${readFileSync(join(SHIFT, 'features.sql'), 'utf8').replace('FROM events', 'FROM staged')}`,
    );
    const run = skewcheck([...shifted(join(SHIFT, 'features.skewed.ts'), sql), '--bisect-sample', '6']);
    expect(run.code, run.stderr).toBe(1);
    const found = JSON.parse(run.stdout).first_divergence;
    expect(found.sampled).toBe(6);
    expect(found.failed).toBe(0);
    expect(found.events.length).toBeGreaterThan(0);
  });
});
