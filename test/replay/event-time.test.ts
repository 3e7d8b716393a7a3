// Window kinds and arrival-order replay, each checked against batch SQL over the same log.
import { afterEach, describe, expect, it } from 'vitest';
import {
  defineStreamingFeature,
  defineStreamProcessor,
  hopping,
  type StreamingFeature,
  session as sessionWindow,
  tumbling,
  type WindowSpec,
} from '../../src/index.js';
import type { Session, Source } from '../../src/io/index.js';
import { parseSimulatedDelay, simulatedDelayOrder } from '../../src/replay/arrival.js';
import { type ReplayOrder, runHarness } from '../../src/replay/index.js';
import { sessionWith } from '../helpers/session.js';

let db: Session | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

// 600 events for 7 users over ~2 days with bursts, some exactly on hour boundaries, and an
// ingestion time: most events arrive 0–20 s after they happen, 3% up to 2 h late.
const LOG = `SELECT
    'u' || (i % 7) AS user_id,
    (i % 13) AS product_id,
    CASE WHEN i % 50 = 0 THEN TIMESTAMP '2026-03-01 00:00:00' + to_hours(i // 50)
         ELSE TIMESTAMP '2026-03-01 00:00:00' + to_seconds((hash(i) % 172800)::BIGINT) END AS ts,
    ts + to_seconds(CASE WHEN hash(i, 1) % 100 < 3 THEN (hash(i, 2) % 7200)::BIGINT ELSE (hash(i, 3) % 20)::BIGINT END) AS ingest_ts
  FROM range(600) r(i)`;

async function open(): Promise<{ session: Session; source: Source }> {
  db = await sessionWith({ events: LOG });
  return {
    session: db,
    source: { name: 'events', path: 'events', format: 'parquet', columns: await db.columnsOf('events') },
  };
}

const counting = (window: WindowSpec) =>
  defineStreamingFeature<{ user_id: string; product_id: number }, { n: number; products: Set<number> }>({
    key: (e) => e.user_id,
    window,
    init: () => ({ n: 0, products: new Set() }),
    add: (acc, e) => {
      acc.n++;
      acc.products.add(e.product_id);
    },
    emit: (acc) => ({ n: acc.n, products: acc.products.size }),
    merge: (a, b) => ({ n: a.n + b.n, products: new Set([...a.products, ...b.products]) }),
  });

async function stream(feature: StreamingFeature<never>, order?: ReplayOrder, allowedLatenessMs?: number) {
  const { session, source } = await open();
  const stats = await runHarness(
    session,
    source,
    { kind: 'feature', path: 'mod.ts', feature: feature as unknown as StreamingFeature },
    { keyColumns: ['user_id'], timeColumn: 'ts', outputTable: 'out', order, allowedLatenessMs },
  );
  const rows = await session.rows(
    'SELECT user_id, window_start, window_end, n, products FROM out ORDER BY ALL',
  );
  return { session, stats, rows };
}

const batch = (session: Session, sql: string) => session.rows(`${sql} ORDER BY ALL`);

describe('window kinds agree with batch SQL', () => {
  it('tumbling 1h', async () => {
    const { session, rows } = await stream(counting(tumbling('1h')) as never);
    const expected = await batch(
      session,
      `SELECT user_id, time_bucket(INTERVAL 1 HOUR, ts) AS window_start, time_bucket(INTERVAL 1 HOUR, ts) + INTERVAL 1 HOUR AS window_end,
         count(*) AS n, count(DISTINCT product_id) AS products FROM events GROUP BY ALL`,
    );
    expect(rows.map(Object.values)).toEqual(
      expected.map((r) => Object.values(r).map((v) => (typeof v === 'bigint' ? Number(v) : v))),
    );
  });

  it('hopping 6h every 1h (an event is in 6 windows)', async () => {
    const { session, rows } = await stream(counting(hopping('6h', '1h')) as never);
    const expected = await batch(
      session,
      `WITH starts AS (SELECT unnest(range(0, 6)) AS k)
       SELECT user_id, time_bucket(INTERVAL 1 HOUR, ts) - to_hours(k) AS window_start, time_bucket(INTERVAL 1 HOUR, ts) - to_hours(k) + INTERVAL 6 HOUR AS window_end,
         count(*) AS n, count(DISTINCT product_id) AS products FROM events, starts GROUP BY ALL`,
    );
    expect(rows.map(Object.values)).toEqual(
      expected.map((r) => Object.values(r).map((v) => (typeof v === 'bigint' ? Number(v) : v))),
    );
  });

  it('session windows with a 30-minute gap', async () => {
    const { session, rows } = await stream(counting(sessionWindow('30m')) as never);
    const expected = await batch(
      session,
      `WITH marked AS (
         SELECT *, CASE WHEN ts - lag(ts) OVER (PARTITION BY user_id ORDER BY ts) < INTERVAL 30 MINUTE THEN 0 ELSE 1 END AS starts_session FROM events),
       numbered AS (SELECT *, sum(starts_session) OVER (PARTITION BY user_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS session_id FROM marked)
       SELECT user_id, min(ts) AS window_start, max(ts) + INTERVAL 30 MINUTE AS window_end, count(*) AS n, count(DISTINCT product_id) AS products
       FROM numbered GROUP BY user_id, session_id`,
    );
    expect(rows.map(Object.values)).toEqual(
      expected.map((r) => Object.values(r).map((v) => (typeof v === 'bigint' ? Number(v) : v))),
    );
  });
});

describe('arrival-order replay', () => {
  const arrival = (maxOutOfOrdernessMs: number): ReplayOrder => ({
    kind: 'arrival',
    expression: 'src."ingest_ts"',
    maxOutOfOrdernessMs,
  });

  it('with enough out-of-orderness nothing is late and the result equals event-time replay', async () => {
    const inOrder = (await stream(counting(tumbling('1h')) as never)).rows;
    db?.close();
    const { stats, rows } = await stream(counting(tumbling('1h')) as never, arrival(3 * 3_600_000));
    expect(stats.late_events).toBe(0);
    expect(rows).toEqual(inOrder);
  });

  it('drops, counts and lists events later than the watermark, and they explain the difference', async () => {
    const { session, stats, rows } = await stream(counting(tumbling('1h')) as never, arrival(30_000));
    expect(stats.late_events).toBeGreaterThan(0);
    const late = await session.rows(
      'SELECT user_id, __window_start AS window_start, count(*) AS n FROM __skewcheck_late_events GROUP BY ALL ORDER BY ALL',
    );
    expect(late.reduce((sum, r) => sum + Number(r.n), 0)).toBe(stats.late_events);
    expect(stats.late_windows.reduce((sum, w) => sum + w.events, 0)).toBe(stats.late_events);
    // Stream count + dropped events = batch count, window by window.
    const batchRows = await session.rows(
      `SELECT user_id, time_bucket(INTERVAL 1 HOUR, ts) AS window_start, count(*) AS n FROM events GROUP BY ALL ORDER BY ALL`,
    );
    const key = (r: Record<string, unknown>) => `${r.user_id}|${(r.window_start as Date).toISOString()}`;
    const streamN = new Map(rows.map((r) => [key(r), Number(r.n)]));
    const lateN = new Map(late.map((r) => [key(r), Number(r.n)]));
    for (const r of batchRows)
      expect((streamN.get(key(r)) ?? 0) + (lateN.get(key(r)) ?? 0)).toBe(Number(r.n));
  });

  it('allowed lateness keeps windows open for late events', async () => {
    const strict = await stream(counting(tumbling('1h')) as never, arrival(30_000));
    db?.close();
    const lenient = await stream(counting(tumbling('1h')) as never, arrival(30_000), 2 * 3_600_000);
    expect(lenient.stats.late_events).toBeLessThan(strict.stats.late_events);
    expect(lenient.stats.late_events).toBe(0);
  });

  it('keeps state bounded by open windows in arrival order too', async () => {
    const { stats } = await stream(counting(tumbling('1h')) as never, arrival(30_000));
    expect(stats.windows_opened).toBeGreaterThan(200);
    expect(stats.max_open_windows).toBeLessThan(40);
  });

  it('merges sessions bridged by a late event, and says when merge() is missing', async () => {
    const merged = await stream(counting(sessionWindow('30m')) as never, arrival(3 * 3_600_000));
    const inOrder = await batch(merged.session, `SELECT count(*) AS n FROM events`);
    expect(merged.rows.reduce((sum, r) => sum + Number(r.n), 0)).toBe(Number(inOrder[0]!.n));
    db?.close();
    const { merge: _merge, ...withoutMerge } = counting(sessionWindow('30m'));
    await expect(stream(withoutMerge as never, arrival(3 * 3_600_000))).rejects.toThrow(/need merge\(a, b\)/);
  });

  it('gives processors the watermark', async () => {
    const { session, source } = await open();
    const seen: [number, number][] = [];
    await runHarness(
      session,
      source,
      {
        kind: 'processor',
        path: 'p.ts',
        processor: defineStreamProcessor({
          onEvent: (_e, ctx) => void seen.push([ctx.currentTime, ctx.watermark]),
        }),
      },
      { keyColumns: ['user_id'], timeColumn: 'ts', outputTable: 'out', order: arrival(60_000) },
    );
    expect(seen).toHaveLength(600);
    let max = Number.NEGATIVE_INFINITY;
    for (const [t, watermark] of seen) {
      max = Math.max(max, t);
      expect(watermark).toBe(max - 60_000);
    }
  });
});

describe('simulated delays', () => {
  it('parses its spec and rejects bad ones', () => {
    expect(parseSimulatedDelay('rate=0.01,max=4h')).toEqual({ rate: 0.01, maxMs: 14_400_000, seed: 42 });
    expect(parseSimulatedDelay('max=30m, rate=0.5, seed=7')).toEqual({
      rate: 0.5,
      maxMs: 1_800_000,
      seed: 7,
    });
    expect(() => parseSimulatedDelay('rate=2,max=1h')).toThrow(/rate must be a number from 0 to 1/);
    expect(() => parseSimulatedDelay('rate=0.1')).toThrow(/max must be a duration/);
    expect(() => parseSimulatedDelay('rate=0.1,max=1h,jitter=2')).toThrow(/unknown field jitter/);
  });

  it('delays about the requested share of events, deterministically, and late ones are dropped', async () => {
    const { session, source } = await open();
    const delay = parseSimulatedDelay('rate=0.1,max=6h,seed=3');
    const first = await simulatedDelayOrder(session, source, 'ts', delay, 0);
    const again = await simulatedDelayOrder(session, source, 'ts', delay, 0);
    expect(first).toEqual(again);
    expect(first.delayedEvents).toBeGreaterThan(30);
    expect(first.delayedEvents).toBeLessThan(100);
    const stats = await runHarness(
      session,
      source,
      { kind: 'feature', path: 'mod.ts', feature: counting(tumbling('1h')) as unknown as StreamingFeature },
      { keyColumns: ['user_id'], timeColumn: 'ts', outputTable: 'out', order: first.order },
    );
    expect(stats.late_events).toBeGreaterThan(0);
    expect(stats.late_events).toBeLessThanOrEqual(first.delayedEvents);
  });
});
