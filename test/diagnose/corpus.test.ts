// A handful of cases of the generated diagnosis corpus (bench/corpus), replayed end to end: no
// case may name a wrong cause in the `reproduced` tier, and on the cases listed here the right
// cause comes first. bench/diagnosis-accuracy.mjs runs the few hundred cases of the full corpus.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusCase, planCase, writeCorpus } from '../../bench/corpus/index.mjs';
import { outcomeOf, scoreCase } from '../../bench/corpus/score.mjs';
import { diagnoser } from '../../src/diagnose/index.js';
import { runReplay } from '../../src/replay/index.js';

/**
 * [shape, bug families, window]: controls, single bugs of most families, a bug no check covers,
 * pairs (one needing two interventions at once), the SQL deduplicating where the stream does not,
 * and a zone whose daily windows keep their phase (only a recount under a shift finds it).
 */
const SPECS: [string, string[], number?][] = [
  ['sparse', []],
  ['dense', []],
  ['sensor', []],
  ['sensor', ['label_shift']],
  ['sensor', ['zone_whole_hours']],
  ['sparse', ['late_arrivals']],
  ['sparse', ['float32']],
  ['sensor', ['float32']],
  ['sparse', ['other_column']],
  ['sparse', ['null_sum_zero']],
  ['dense', ['null_sum_zero']],
  ['sparse', ['stream_dedup_changed']],
  ['sparse', ['sql_dedup_changed']],
  ['sparse', ['rounded_mean']],
  ['sensor', ['last_for_max']],
  ['sparse', ['late_arrivals', 'null_sum_zero']],
  ['sensor', ['zone_half_hour', 'null_bool_false']],
  ['sensor', ['stream_dedup_changed']],
  ['sensor', ['zone_whole_hours'], 86_400_000],
];

let dir: string;
let cases: CorpusCase[];

/** A corpus case replayed with its diagnosis. */
function replayDiagnosed(c: CorpusCase) {
  return runReplay({
    eventsPath: c.eventsPath,
    batchSqlPath: c.batchSqlPath,
    streamModulePath: c.streamModulePath,
    ...c.replay,
    inspect: (log) => diagnoser({ log }),
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'skewcheck-corpus-'));
  const plans = SPECS.map(([shape, families, windowMs], i) =>
    planCase({ id: `t${String(i + 1).padStart(2, '0')}`, shape, families, seed: i + 1, windowMs }),
  );
  cases = await writeCorpus(dir, plans, { seed: 1 });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('diagnosis corpus', () => {
  it('generates the same plans from the same seed', () => {
    const a = planCase({ id: 'x', shape: 'dense', families: ['late_arrivals', 'key_transform'], seed: 9 });
    const b = planCase({ id: 'x', shape: 'dense', families: ['late_arrivals', 'key_transform'], seed: 9 });
    expect(a).toEqual(b);
    expect(a.causes).toEqual(['late_data', 'key_normalisation']);
    expect(a.kind).toBe('pair');
  });

  it.each(SPECS.map(([shape, families], i) => [i, shape, families.join('+') || 'control'] as const))(
    'case %i (%s, %s): no wrong reproduced cause, the right cause on top',
    async (i) => {
      const c = cases[i]!;
      const result = await replayDiagnosed(c);
      const score = scoreCase({ ...outcomeOf(result), kind: c.kind, causes: c.causes });
      expect(score.wrongReproduced, c.description).toEqual([]);
      if (c.kind === 'control') {
        expect(result.verdict).toBe('pass');
        return;
      }
      expect(score.status, c.description).toBe('scored');
      if (c.kind === 'uncovered') return;
      if (c.kind === 'single') expect(score.top?.code, c.description).toBe(c.causes[0]);
      expect(score.allFound, c.description).toBe(true);
    },
  );
});

/**
 * The same generator at ten times the events and keys: tens of thousands of differing rows, so the
 * checks judge a sample of keys and the winner is carried to the other rows (extrapolate.ts). A
 * zone or moved labels change every window: they are carried by recomputing, and account for
 * every differing row; a NULL default is carried by its pattern.
 */
const SCALED: [string, string[]][] = [
  ['sensor', ['zone_half_hour']],
  ['sensor', ['label_shift']],
];

describe('diagnosis corpus at scale (sampled checks)', () => {
  let scaledDir: string;
  let scaled: CorpusCase[];
  beforeAll(async () => {
    scaledDir = mkdtempSync(join(os.tmpdir(), 'skewcheck-corpus-scaled-'));
    const plans = SCALED.map(([shape, families], i) =>
      planCase({ id: `x${i + 1}`, shape, families, seed: i + 1 }),
    );
    scaled = await writeCorpus(scaledDir, plans, { seed: 1, scale: 10 });
  });
  afterAll(() => {
    if (scaledDir) rmSync(scaledDir, { recursive: true, force: true });
  });

  it.each(SCALED.map(([shape, families], i) => [i, shape, families.join('+')] as const))(
    'case %i (%s, %s, ×10): the right cause reproduces every differing row',
    async (i) => {
      const c = scaled[i]!;
      const result = await replayDiagnosed(c);
      const s = result.summary;
      const differing = s.mismatched + s.only_left + s.only_right;
      expect(differing, 'enough differing rows for the sampled path').toBeGreaterThan(20_000);
      const score = scoreCase({ ...outcomeOf(result), kind: c.kind, causes: c.causes });
      expect(score.wrongReproduced, c.description).toEqual([]);
      const top = result.diagnoses![0]!;
      expect([top.code, top.tier], c.description).toEqual([c.causes[0], 'reproduced']);
      expect(top.rows, c.description).toBe(differing);
    },
    120_000,
  );
});
