// A log already in event-time order is replayed as stored, without a sort, with the events that
// share a time sorted and merged in. The order the module sees must be exactly the sorted order
// (time, then every column) whatever the log: checked on generated logs — strictly increasing,
// with ties (pairs at random, a group of thousands across chunk edges, too many to merge), with
// one event out of place at a random position (across chunks and row groups), with NULL times —
// and on the CLI, where a log and its shuffled copy must give the same bytes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defineStreamProcessor, type StreamProcessor } from '../../src/index.js';
import { type Session, withSession } from '../../src/io/index.js';
import { runHarness } from '../../src/replay/index.js';
import { storedOrder } from '../../src/replay/replay-order.js';
import { sessionWith } from '../helpers/session.js';

let db: Session | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

type Disorder = 'none' | 'tie' | 'random-ties' | 'big-tie' | 'many-ties' | 'step-back' | 'null-times';

/**
 * `n` events for 5 users, one second apart in stored order, then disturbed: a tie copies the
 * time of the event before; a step back moves one event before its predecessor; NULL times are
 * sprinkled (they are never replayed). `at` places the disturbance.
 */
function log(n: number, disorder: Disorder, at: number): string {
  const base = `TIMESTAMP '2026-05-01 00:00:00' + to_seconds(i)`;
  const ts = {
    none: base,
    tie: `CASE WHEN i = ${at} THEN ${base.replace('(i)', '(i - 1)')} ELSE ${base} END`,
    // About 1% of events take the time of the one before (runs of two, three… at random).
    'random-ties': `TIMESTAMP '2026-05-01 00:00:00' + to_seconds(sum(CASE WHEN i > 0 AND hash(i, ${at}) % 100 = 0 THEN 0 ELSE 1 END) OVER (ORDER BY i))`,
    'big-tie': `CASE WHEN i BETWEEN ${at} AND ${at + 2999} THEN ${base.replace('(i)', `(${at})`)} ELSE ${base} END`,
    'many-ties': base.replace('(i)', '(i // 3)'),
    'step-back': `CASE WHEN i = ${at} THEN ${base.replace('(i)', '(i - 2)')} - INTERVAL 1 MILLISECOND ELSE ${base} END`,
    'null-times': `CASE WHEN i % ${Math.max(2, at % 97)} = 0 THEN NULL ELSE ${base} END`,
  }[disorder];
  // The other columns vary against time, so a tie is broken by them the other way round.
  return `SELECT 'u' || ((${n} - i) % 5) AS user_id, (${n} - i) * 1.5 AS amount, ${ts} AS ts
    FROM range(${n}) r(i) ORDER BY i`;
}

/** A processor that records the events in the order it is handed them. */
function recorder(seen: string[]): StreamProcessor {
  return defineStreamProcessor<{ user_id: string; amount: number; ts: Date }>({
    onEvent: (e) => void seen.push(`${e.ts.getTime()}|${e.user_id}|${e.amount}`),
  }) as StreamProcessor;
}

async function replayOrder(n: number, disorder: Disorder, at: number) {
  db = await sessionWith({ events: log(n, disorder, at) });
  const source = {
    name: 'events',
    path: 'events',
    format: 'parquet' as const,
    columns: await db.columnsOf('events'),
  };
  const seen: string[] = [];
  await runHarness(
    db,
    source,
    { kind: 'processor', path: 'recorder.ts', processor: recorder(seen) },
    { keyColumns: ['user_id'], timeColumn: 'ts', outputTable: 'out' },
  );
  const expected = await db.rows(
    `SELECT epoch_ms(ts) AS t, user_id, amount::DOUBLE AS amount FROM events WHERE ts IS NOT NULL
     ORDER BY ts, user_id, amount`,
  );
  return {
    stored: await storedOrder(db, source, 'ts'),
    seen,
    expected: expected.map((r) => `${Number(r.t)}|${r.user_id}|${r.amount}`),
  };
}

// A seeded generator of positions: the same cases on every run, spread over the log.
function positions(seed: number, count: number, n: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 2 + (x % (n - 2));
  });
}

describe('replaying a log in its stored order', () => {
  it('reads a strictly increasing log as stored, in sorted order', async () => {
    const result = await replayOrder(5_000, 'none', 0);
    expect(result.stored?.ties).toHaveLength(0);
    expect(result.seen).toEqual(result.expected);
  });

  // Beyond a DuckDB row group (122,880 rows) and across chunk edges (2,048).
  it.each(positions(7, 3, 130_000).concat([2_048, 122_880]))(
    'merges ties in, or sorts a log with one event out of place, at event %i',
    async (at) => {
      const tie = await replayOrder(130_000, 'tie', at);
      expect(tie.stored?.ties).toHaveLength(1);
      expect(tie.seen).toEqual(tie.expected);
      const bigTie = await replayOrder(130_000, 'big-tie', Math.min(at, 126_000));
      expect(bigTie.stored?.ties).toHaveLength(1);
      expect(bigTie.seen).toEqual(bigTie.expected);
      const stepBack = await replayOrder(130_000, 'step-back', at);
      expect(stepBack.stored).toBeUndefined();
      expect(stepBack.seen.length).toBe(130_000);
      expect(stepBack.seen).toEqual(stepBack.expected);
    },
    60_000,
  );

  it('merges ties at random places in, and sorts a log where most events share a time', async () => {
    for (const at of positions(5, 3, 1_000)) {
      const result = await replayOrder(6_000, 'random-ties', at);
      expect(result.stored?.ties.length).toBeGreaterThan(10);
      expect(result.seen).toEqual(result.expected);
    }
    const many = await replayOrder(6_000, 'many-ties', 0);
    expect(many.stored).toBeUndefined();
    expect(many.seen).toEqual(many.expected);
  });

  it('ignores NULL times, which are never replayed', async () => {
    for (const at of positions(11, 3, 5_000)) {
      const result = await replayOrder(5_000, 'null-times', at);
      expect(result.stored).toBeDefined();
      expect(result.seen).toEqual(result.expected);
    }
  });
});

describe('the CLI on a log and its shuffled copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skewcheck-stored-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const FRAUD = join(import.meta.dirname, '..', '..', 'samples', 'fraud');
  const CLI = join(import.meta.dirname, '..', '..', 'bin', 'skewcheck.js');

  it('gives the same bytes (the sample log in time order, with its ties, and shuffled)', async () => {
    const ordered = join(dir, 'ordered.parquet');
    const shuffled = join(dir, 'shuffled.parquet');
    await withSession(async (session) => {
      // The sample has a few events at the same time as another: ties are merged in.
      const events = `read_parquet('${join(FRAUD, 'events.parquet')}')`;
      await session.run(`COPY (SELECT * FROM ${events} ORDER BY ts) TO '${ordered}'`);
      await session.run(`COPY (SELECT * FROM ${events} ORDER BY hash(transaction_id)) TO '${shuffled}'`);
      const check = async (path: string) => {
        await session.run(`CREATE OR REPLACE VIEW events AS SELECT * FROM read_parquet('${path}')`);
        const columns = await session.columnsOf('events');
        return storedOrder(session, { name: 'events', path, format: 'parquet', columns }, 'ts');
      };
      expect(await check(ordered)).toBeDefined();
      expect(await check(shuffled)).toBeUndefined();
    });
    const run = (events: string) => {
      const out = spawnSync(
        process.execPath,
        [CLI, 'replay', '--events', events, '--batch', join(FRAUD, 'features.sql')].concat([
          '--stream',
          join(FRAUD, 'features.skewed.ts'),
          '--key',
          'user_id',
          '--json',
          '-',
        ]),
        { encoding: 'utf8' },
      );
      return JSON.parse(out.stdout) as Record<string, unknown>;
    };
    const a = run(ordered);
    const b = run(shuffled);
    expect(a.verdict).toBe('fail');
    // The inputs differ by name only; everything the replay found must be the same.
    const strip = (r: Record<string, unknown>) =>
      JSON.stringify({ ...r, timings: undefined }).replaceAll(/ordered|shuffled/g, 'x');
    expect(strip(a)).toBe(strip(b));
  }, 120_000);
});
