import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRAUD, skewcheck, tempDir } from './cli.js';

let dir: string;
let args: string[];

// The fraud sample with an ingestion time: 2% of events upload up to 3 hours late.
beforeAll(async () => {
  dir = tempDir();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT *, ts + to_seconds(CASE WHEN hash(transaction_id) % 100 < 2 THEN (hash(transaction_id, 1) % 10800)::BIGINT ELSE (hash(transaction_id, 2) % 10)::BIGINT END) AS ingest_ts
    FROM read_parquet('${join(FRAUD, 'events.parquet')}')) TO '${dir}/events.parquet'`);
  c.closeSync();
  db.closeSync();
  args = [
    'replay',
    '--events',
    `${dir}/events.parquet`,
    '--batch',
    join(FRAUD, 'features.sql'),
    '--stream',
    join(FRAUD, 'features.ts'),
    '--key',
    'user_id',
  ];
});

describe('arrival-order replay from the command line', () => {
  it('drops late events, fails, counts and lists them', () => {
    const run = skewcheck([
      ...args,
      '--arrival-column',
      'ingest_ts',
      '--max-out-of-orderness',
      '30s',
      '--json',
      '-',
    ]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.replay.order).toEqual({
      kind: 'arrival',
      arrival_column: 'ingest_ts',
      max_out_of_orderness_ms: 30_000,
      allowed_lateness_ms: 0,
    });
    expect(result.replay.late.events).toBeGreaterThan(100);
    expect(result.replay.late.windows).toBeGreaterThan(100);
    expect(result.replay.late.examples[0]).toMatchObject({
      key: { user_id: expect.stringMatching(/^u\d+$/) },
      events: expect.any(Number),
    });
    expect(result.notes.join(' ')).toMatch(
      /events arrived after the watermark had closed their windows and were dropped/,
    );
    expect(run.stderr).toMatch(/note: \d+ events arrived after the watermark/);
    expect(run.stderr).toMatch(
      /Late events dropped by the stream \([\d,]+ events, [\d,]+ windows\)\n {2}user_id=u\d+ {2}2026-/,
    );
  });

  it('passes when the allowed lateness covers the delays', () => {
    const run = skewcheck([
      ...args,
      '--arrival-column',
      'ingest_ts',
      '--max-out-of-orderness',
      '30s',
      '--allowed-lateness',
      '4h',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('--simulate-delay is deterministic and reports how many events it delayed', () => {
    const a = skewcheck([...args, '--simulate-delay', 'rate=0.05,max=2h', '--json', '-']);
    const b = skewcheck([...args, '--simulate-delay', 'rate=0.05,max=2h', '--json', '-']);
    expect(a.code).toBe(1);
    expect(a.stdout).toBe(b.stdout);
    const delay = JSON.parse(a.stdout).replay.order.simulated_delay;
    expect(delay).toMatchObject({ rate: 0.05, max_ms: 7_200_000, seed: 42 });
    expect(delay.delayed_events).toBeGreaterThan(1000);
  });

  it('rejects watermark flags in event-time order, and bad specs, with exit 2', () => {
    const lateness = skewcheck([...args, '--allowed-lateness', '1m']);
    expect(lateness.code).toBe(2);
    expect(lateness.stderr).toMatch(/apply to arrival-order replay/);
    const spec = skewcheck([...args, '--simulate-delay', 'rate=5,max=1h']);
    expect(spec.code).toBe(2);
    expect(spec.stderr).toMatch(/rate must be a number from 0 to 1/);
    const column = skewcheck([...args, '--arrival-column', 'uploaded_at']);
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/has no arrival column "uploaded_at"/);
  });
});
