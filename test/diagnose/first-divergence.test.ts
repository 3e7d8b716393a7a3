// The first divergent event: bisection over a window's events through a fresh stream instance
// and the batch SQL, and the profile of those events against the whole log. Cases come from the
// diagnosis corpus (bench/corpus).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusCase, planCase, writeCorpus } from '../../bench/corpus/index.mjs';
import { diagnoser, firstDivergenceProbe } from '../../src/diagnose/index.js';
import type { DiffResult } from '../../src/diff/index.js';
import { runReplay } from '../../src/replay/index.js';

let dir: string;
let threshold: CorpusCase;
let nullFlag: CorpusCase;
let paddedKey: CorpusCase;

beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'skewcheck-first-divergence-'));
  const plans = [
    planCase({ id: 'threshold', shape: 'dense', families: ['threshold'], seed: 3 }),
    // A windowed feature whose dedup set lives at module level and is never cleared: reusing one
    // instance across probes would see every event as a copy.
    planCase({ id: 'null_flag', shape: 'sensor', families: ['late_arrivals', 'null_bool_false'], seed: 4 }),
    // Seed 5 draws the cast: the stream reads store id "003" as 3.
    planCase({ id: 'padded_key', shape: 'dense', families: ['key_transform'], seed: 5 }),
  ];
  [threshold, nullFlag, paddedKey] = (await writeCorpus(dir, plans, { seed: 2 })) as CorpusCase[] as [
    CorpusCase,
    CorpusCase,
    CorpusCase,
  ];
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function replay(c: CorpusCase, sampleSize: number): Promise<DiffResult> {
  const probe = firstDivergenceProbe({ sampleSize, seed: 1 });
  const result = await runReplay({
    eventsPath: c.eventsPath,
    batchSqlPath: c.batchSqlPath,
    streamModulePath: c.streamModulePath,
    keyColumns: c.replay.keyColumns,
    timeColumn: c.replay.timeColumn,
    inspect: (log) => probe.wrap(diagnoser({ log }), log),
  });
  return probe.attach(result);
}

describe('first divergent event', () => {
  it('finds the event a >= threshold first counts, and profiles it', async () => {
    const result = await replay(threshold, 12);
    const found = result.first_divergence!;
    expect(found.sampled).toBe(12);
    expect(found.events.length).toBe(12 - found.agree_alone - found.without_events - found.failed);
    expect(found.events.length).toBeGreaterThanOrEqual(10);
    for (const e of found.events) {
      expect(e.event.delay).toBe(15);
      expect(e.position).toBeGreaterThanOrEqual(1);
      expect(e.position).toBeLessThanOrEqual(e.window_events);
      expect(Object.keys(e.event)).toEqual([
        'order_id',
        'region',
        'store_id',
        'ts',
        'qty',
        'qty_ordered',
        'price',
        'delay',
        'coupon',
      ]);
    }
    const top = found.profile[0]!;
    expect(top).toMatchObject({ column: 'delay', predicate: 'equals', value: 15, tier: 'consistent' });
    expect(top.first_divergent).toBe(found.events.length);
    expect(top.log_events / top.log_total).toBeLessThan(0.3);
    expect(top.message).toMatch(
      /^delay = 15 in \d+ of \d+ first-divergent events vs \d+\.\d+% of all events$/,
    );
  });

  it('loads a fresh module for every probe (module state does not leak)', async () => {
    const c = { ...nullFlag, replay: { ...nullFlag.replay, simulateDelay: undefined } };
    const result = await replay(c, 10);
    const found = result.first_divergence!;
    expect(found.failed).toBe(0);
    expect(found.events.length).toBeGreaterThanOrEqual(8);
    // A NULL flag read as false is what first changes not_ok; a leaked dedup set would instead
    // make every window diverge at its first event, whatever its flag.
    for (const e of found.events) expect(e.event.ok).toBeNull();
    expect(found.profile.find((p) => p.column === 'ok' && p.predicate === 'is_null')).toBeDefined();
  });

  it('profiles a key that a cast changes', async () => {
    expect(paddedKey.description).toContain('(cast)');
    const found = (await replay(paddedKey, 20)).first_divergence!;
    const cast = found.profile.find((p) => p.predicate === 'changes_under_cast');
    expect(cast).toMatchObject({ column: 'store_id', tier: 'consistent' });
    expect(cast!.first_divergent / cast!.of).toBeGreaterThan(2 * (cast!.log_events / cast!.log_total));
  });

  it('is deterministic and can be turned off', async () => {
    const a = await replay(threshold, 5);
    const b = await replay(threshold, 5);
    expect(a.first_divergence).toEqual(b.first_divergence);
    expect((await replay(threshold, 0)).first_divergence).toBeUndefined();
  });
});
