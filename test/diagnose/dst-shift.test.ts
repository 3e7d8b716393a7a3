// A stream that cuts hourly windows on the wall clock of a zone with daylight saving time and
// labels them as UTC is shifted by one offset before the change and another after it. From the
// two outputs alone (diff, no log), the diagnosis names both shifts, the zones that have exactly
// those offsets, and accounts for the rows on both sides of the change. Generated for zones of
// both hemispheres, random keys and times, the offsets computed independently by DuckDB.
import { afterEach, describe, expect, it } from 'vitest';
import { diagnoser } from '../../src/diagnose/index.js';
import { diffTables } from '../../src/diff/index.js';
import type { Session } from '../../src/io/index.js';
import { sessionWith } from '../helpers/session.js';

let session: Session | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
});

/** 50 days around the March/April 2026 changes of both hemispheres. */
const events = (seed: number) =>
  `SELECT 'k' || (hash(i, ${seed}) % 120) AS k,
     TIMESTAMP '2026-03-01' + to_seconds(CAST(hash(i, ${seed + 1}) % (50 * 86400) AS BIGINT)) AS ts
   FROM range(12000) t(i)`;

const hourly = (time: string) =>
  `SELECT k, time_bucket(INTERVAL 1 HOUR, ${time}) AS window_start,
     time_bucket(INTERVAL 1 HOUR, ${time}) + INTERVAL 1 HOUR AS window_end, count(*) AS n
   FROM events GROUP BY ALL`;

describe('time_shift from the outputs alone, a zone with daylight saving time', () => {
  it.each([
    ['America/New_York', 1],
    ['Europe/Berlin', 2],
    ['Australia/Sydney', 3],
    ['America/Santiago', 4],
  ])('%s (seed %i): both offsets, zones with exactly those, the rows of both', async (zone, seed) => {
    const local = `timezone('${zone}', timezone('UTC', ts))`;
    session = await sessionWith({ events: events(seed) });
    await session.run(`CREATE TABLE l AS ${hourly('ts')}`);
    await session.run(`CREATE TABLE r AS ${hourly(local)}`);
    const offsets = (
      await session.rows(`SELECT DISTINCT epoch_ms(${local}) - epoch_ms(ts) AS o FROM events ORDER BY o`)
    ).map((row) => Number(row.o));
    expect(offsets).toHaveLength(2);
    const result = await diffTables(session, {
      command: 'diff',
      left: { table: 'l', label: 'left', source: 'l.parquet', describe: 'the left output' },
      right: { table: 'r', label: 'right', source: 'r.parquet', describe: 'the right output' },
      keyColumns: ['k'],
      inspect: diagnoser(),
    });
    const s = result.summary;
    const differing = s.mismatched + s.only_left + s.only_right;
    const top = result.diagnoses![0]!;
    expect([top.code, top.tier]).toEqual(['time_shift', 'consistent']);
    expect(top.evidence.shift_ms).toEqual(offsets);
    // The night of the change merges or splits a window: a few rows line up under neither.
    expect(top.rows).toBeGreaterThan(0.97 * differing);
    const zones = top.evidence.zones as string[];
    expect(zones.length).toBeGreaterThan(0);
    for (const z of zones) {
      const theirs = (
        await session.rows(
          `SELECT DISTINCT epoch_ms(timezone('${z}', timezone('UTC', ts))) - epoch_ms(ts) AS o FROM events ORDER BY o`,
        )
      ).map((row) => Number(row.o));
      expect(theirs, z).toEqual(offsets);
    }
  });
});
