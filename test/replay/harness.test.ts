import { afterEach, describe, expect, it } from 'vitest';
import { UserCodeError } from '../../src/errors.js';
import {
  defineStreamingFeature,
  defineStreamProcessor,
  hopping,
  type StreamingFeature,
  type StreamProcessor,
  tumbling,
} from '../../src/index.js';
import type { Session, Source } from '../../src/io/index.js';
import { runHarness } from '../../src/replay/index.js';
import { sessionWith } from '../helpers/session.js';

let session: Session | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
});

async function replay(
  events: string,
  module: StreamingFeature<never> | StreamProcessor<never>,
  keyColumns = ['u'],
) {
  session = await sessionWith({ events });
  const source: Source = {
    name: 'events',
    path: 'events',
    format: 'parquet',
    columns: await session.columnsOf('events'),
  };
  const loaded =
    'onEvent' in module
      ? { kind: 'processor' as const, path: 'mod.ts', processor: module as StreamProcessor }
      : { kind: 'feature' as const, path: 'mod.ts', feature: module as unknown as StreamingFeature };
  const stats = await runHarness(session, source, loaded, {
    keyColumns,
    timeColumn: 'ts',
    outputTable: 'out',
  });
  const rows = await session.rows('SELECT * FROM out ORDER BY ALL');
  return { stats, rows };
}

const EVENTS = `SELECT * FROM (VALUES
  ('a', TIMESTAMP '2026-01-01 10:00:00', 1.5),
  ('a', TIMESTAMP '2026-01-01 10:04:59.999', 2.5),
  ('a', TIMESTAMP '2026-01-01 10:05:00', 4.0),
  ('b', TIMESTAMP '2026-01-01 10:01:00', 8.0),
  ('b', NULL, 100.0)
) t(u, ts, amount)`;

const sumFeature = defineStreamingFeature<
  { u: string; amount: number; ts: Date },
  { n: number; sum: number }
>({
  key: (e) => e.u,
  window: tumbling('5m'),
  init: () => ({ n: 0, sum: 0 }),
  add: (acc, e) => {
    acc.n++;
    acc.sum += e.amount;
  },
  emit: (acc) => ({ n: acc.n, sum: acc.sum }),
});

describe('runHarness with a windowed feature', () => {
  it('assigns events to [start, end) windows and emits one row per key and window', async () => {
    const { stats, rows } = await replay(EVENTS, sumFeature as never);
    expect(rows).toEqual([
      {
        u: 'a',
        window_start: new Date('2026-01-01T10:00:00Z'),
        window_end: new Date('2026-01-01T10:05:00Z'),
        n: 2,
        sum: 4,
      },
      {
        u: 'a',
        window_start: new Date('2026-01-01T10:05:00Z'),
        window_end: new Date('2026-01-01T10:10:00Z'),
        n: 1,
        sum: 4,
      },
      {
        u: 'b',
        window_start: new Date('2026-01-01T10:00:00Z'),
        window_end: new Date('2026-01-01T10:05:00Z'),
        n: 1,
        sum: 8,
      },
    ]);
    expect(stats).toMatchObject({ events: 4, rows_emitted: 3, windows_opened: 3 });
  });

  it('replays in event-time order whatever the order of the file', async () => {
    const seen: number[] = [];
    await replay(
      "SELECT * FROM (VALUES (3, TIMESTAMP '2026-01-01 00:00:03'), (1, TIMESTAMP '2026-01-01 00:00:01'), (2, TIMESTAMP '2026-01-01 00:00:02')) t(u, ts)",
      defineStreamProcessor<{ u: number }>({ onEvent: (e) => void seen.push(e.u) }) as never,
    );
    expect(seen).toEqual([1, 2, 3]);
  });

  it('keeps memory bounded by open windows, not by history', async () => {
    // One key, 2,000 consecutive 1-minute windows: at most one accumulator is alive at a time.
    const events =
      "SELECT 'a' AS u, TIMESTAMP '2026-01-01' + to_seconds(i * 60) AS ts, 1.0 AS amount FROM range(2000) r(i)";
    const feature = { ...sumFeature, window: tumbling('1m') };
    const { stats } = await replay(events, feature as never);
    expect(stats.windows_opened).toBe(2000);
    expect(stats.max_open_windows).toBe(1);
  });

  it('supports hopping windows', async () => {
    const feature = { ...sumFeature, window: hopping('10m', '5m') };
    const { rows } = await replay(EVENTS, feature as never);
    const a = rows
      .filter((r) => r.u === 'a')
      .map((r) => [(r.window_start as Date).toISOString().slice(11, 16), r.n]);
    expect(a).toEqual([
      ['09:55', 2],
      ['10:00', 3],
      ['10:05', 1],
    ]);
  });

  it('maps array keys onto several key columns', async () => {
    const events = "SELECT * FROM (VALUES ('a', 'x', TIMESTAMP '2026-01-01 10:00:00')) t(u, m, ts)";
    const feature = defineStreamingFeature<{ u: string; m: string }, { n: number }>({
      key: (e) => [e.u, e.m],
      window: tumbling('1h'),
      init: () => ({ n: 0 }),
      add: (acc) => ({ n: acc.n + 1 }),
      emit: (acc) => ({ n: acc.n }),
    });
    const { rows } = await replay(events, feature as never, ['u', 'm']);
    expect(rows).toEqual([
      {
        u: 'a',
        m: 'x',
        window_start: new Date('2026-01-01T10:00:00Z'),
        window_end: new Date('2026-01-01T11:00:00Z'),
        n: 1,
      },
    ]);
  });

  it('reports a throw from add() with the event number, key, time and event', async () => {
    const feature = {
      ...sumFeature,
      add: (_acc: unknown, e: { amount: number }) => {
        if (e.amount === 4) throw new Error('boom');
      },
    };
    const error = await replay(EVENTS, feature as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserCodeError);
    const { message, where } = error as UserCodeError;
    expect(message).toBe('threw in add(): boom');
    expect(where).toMatchObject({ eventNumber: 4, key: { u: 'a' }, time: new Date('2026-01-01T10:05:00Z') });
    expect(where.event).toMatchObject({ u: 'a', amount: 4 });
  });

  it('rejects a feature that changes type between rows', async () => {
    const feature = { ...sumFeature, emit: (acc: { n: number }) => ({ n: acc.n === 1 ? 'one' : acc.n }) };
    await expect(replay(EVENTS, feature as never)).rejects.toThrow(
      /emitted string one for feature "n", whose earlier values were double/,
    );
  });

  it('rejects a key of the wrong arity', async () => {
    const feature = { ...sumFeature, key: (e: { u: string }) => [e.u, e.u] };
    await expect(replay(EVENTS, feature as never)).rejects.toThrow(
      /key returned 2 values but --key names 1 column/,
    );
  });
});

describe('event decoding', () => {
  it('hands over every column type as documented (short, long, non-ASCII and NULL strings, BIGINT, DECIMAL, NULLs of each)', async () => {
    // Enough rows for the long-string column to be read through a dictionary.
    const events = `SELECT
        CASE WHEN i % 7 = 0 THEN NULL WHEN i % 3 = 0 THEN 'café' ELSE 'u' || (i % 5) END AS u,
        CASE WHEN i % 11 = 0 THEN NULL ELSE 'a long merchant name #' || (i % 4) END AS name,
        (i * 1000000000000)::BIGINT AS big,
        (i / 100)::DECIMAL(10, 2) AS amount,
        i % 2 = 0 AS flag,
        TIMESTAMP '2026-01-01' + to_milliseconds(i) AS ts,
        CASE WHEN i % 13 = 0 THEN NULL ELSE -i::BIGINT END AS big_or_null,
        CASE WHEN i % 17 = 0 THEN NULL ELSE i / 8 END AS double_or_null,
        CASE WHEN i % 19 = 0 THEN NULL ELSE TIMESTAMP '2025-01-01' + to_seconds(i) END AS seen_at
      FROM range(5000) r(i)`;
    const seen: Record<string, unknown>[] = [];
    await replay(events, defineStreamProcessor({ onEvent: (e) => void seen.push(e) }) as never);
    expect(seen).toHaveLength(5000);
    const expected = await session!.rows(
      'SELECT u, name, big, CAST(amount AS DOUBLE) AS amount, flag, ts, big_or_null, double_or_null, seen_at FROM events ORDER BY ts',
    );
    expect(seen).toEqual(expected);
    expect(seen[3]).toEqual({
      u: 'café',
      name: 'a long merchant name #3',
      big: 3_000_000_000_000n,
      amount: 0.03,
      flag: false,
      ts: new Date('2026-01-01T00:00:00.003Z'),
      big_or_null: -3n,
      double_or_null: 0.375,
      seen_at: new Date('2025-01-01T00:00:03Z'),
    });
    expect([seen[13]!.big_or_null, seen[17]!.double_or_null, seen[19]!.seen_at]).toEqual([null, null, null]);
  });
});

describe('runHarness with a stream processor', () => {
  it('gives per-key state and loads the emitted rows', async () => {
    const processor = defineStreamProcessor<{ u: string; amount: number; ts: Date }>({
      onEvent(e, ctx) {
        const s = ctx.state<{ total: number }>(e.u);
        s.total = (s.total ?? 0) + e.amount;
        ctx.emit({ u: e.u, window_start: e.ts, window_end: ctx.currentTime + 1, running_total: s.total });
      },
    });
    const { rows } = await replay(EVENTS, processor as never);
    expect(rows.map((r) => [r.u, r.running_total])).toEqual([
      ['a', 1.5],
      ['a', 4],
      ['a', 8],
      ['b', 8],
    ]);
  });

  it('names the missing columns when ctx.emit gets an incomplete row', async () => {
    const processor = defineStreamProcessor({ onEvent: (_e, ctx) => ctx.emit({ n: 1 }) });
    await expect(replay(EVENTS, processor as never)).rejects.toThrow(/without u, window_start, window_end/);
  });
});
