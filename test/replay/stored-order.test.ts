// A log already in event-time order is replayed as stored, without a sort. The order the module
// sees must be exactly the sorted order (time, then every column) whatever the log: checked on
// generated logs — strictly increasing, with ties, with one event out of place at a random
// position (across chunks and row groups), with NULL times — and on the CLI, where a log and
// its shuffled copy must give the same bytes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defineStreamProcessor, type StreamProcessor } from '../../src/index.js';
import { type Session, withSession } from '../../src/io/index.js';
import { inReplayOrder } from '../../src/replay/event-reader.js';
import { runHarness } from '../../src/replay/index.js';
import { sessionWith } from '../helpers/session.js';

let db: Session | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

type Disorder = 'none' | 'tie' | 'step-back' | 'null-times';

/**
 * `n` events for 5 users, one second apart in stored order, then disturbed: a tie copies the
 * time of the event before; a step back moves one event before its predecessor; NULL times are
 * sprinkled (they are never replayed). `at` places the disturbance.
 */
function log(n: number, disorder: Disorder, at: number): string {
  const base = `TIMESTAMP '2026-05-01 00:00:00' + to_seconds(i)`;
  const ts =
    disorder === 'tie'
      ? `CASE WHEN i = ${at} THEN ${base.replace('(i)', `(i - 1)`)} ELSE ${base} END`
      : disorder === 'step-back'
        ? `CASE WHEN i = ${at} THEN ${base.replace('(i)', `(i - 2)`)} - INTERVAL 1 MILLISECOND ELSE ${base} END`
        : disorder === 'null-times'
          ? `CASE WHEN i % ${Math.max(2, at % 97)} = 0 THEN NULL ELSE ${base} END`
          : base;
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
    stored: await inReplayOrder(db, source, 'ts'),
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
    expect(result.stored).toBe(true);
    expect(result.seen).toEqual(result.expected);
  });

  // Beyond a DuckDB row group (122,880 rows) and across chunk edges (2,048).
  it.each(positions(7, 3, 130_000).concat([2_048, 122_880]))(
    'sorts a log with a tie or one event out of place at event %i',
    async (at) => {
      for (const disorder of ['tie', 'step-back'] as const) {
        const result = await replayOrder(130_000, disorder, at);
        expect(result.stored, disorder).toBe(false);
        expect(result.seen.length).toBe(130_000);
        expect(result.seen).toEqual(result.expected);
      }
    },
    60_000,
  );

  it('ignores NULL times, which are never replayed', async () => {
    for (const at of positions(11, 3, 5_000)) {
      const result = await replayOrder(5_000, 'null-times', at);
      expect(result.stored).toBe(true);
      expect(result.seen).toEqual(result.expected);
    }
  });
});

describe('the CLI on a log and its shuffled copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skewcheck-stored-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const FRAUD = join(import.meta.dirname, '..', '..', 'samples', 'fraud');
  const CLI = join(import.meta.dirname, '..', '..', 'bin', 'skewcheck.js');

  it('gives the same bytes (one copy of the sample log in time order, the other not)', async () => {
    const ordered = join(dir, 'ordered.parquet');
    const shuffled = join(dir, 'shuffled.parquet');
    await withSession(async (session) => {
      // The sample has a few events at the same time as another: one of each pair is left out.
      const events = `(SELECT * FROM read_parquet('${join(FRAUD, 'events.parquet')}') QUALIFY row_number() OVER (PARTITION BY ts ORDER BY transaction_id) = 1)`;
      await session.run(`COPY (SELECT * FROM ${events} ORDER BY ts) TO '${ordered}'`);
      await session.run(`COPY (SELECT * FROM ${events} ORDER BY hash(transaction_id)) TO '${shuffled}'`);
      const check = async (path: string) => {
        await session.run(`CREATE OR REPLACE VIEW events AS SELECT * FROM read_parquet('${path}')`);
        return inReplayOrder(session, { name: 'events', path, format: 'parquet', columns: [] }, 'ts');
      };
      expect(await check(ordered)).toBe(true);
      expect(await check(shuffled)).toBe(false);
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
