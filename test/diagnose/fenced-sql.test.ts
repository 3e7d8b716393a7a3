// The diagnosis's re-runs of the user's SQL (interventions) are fenced like the replay's own run:
// a database of their own, `events` = the transformed events, nothing of skewcheck's in reach.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FencedBatchSql } from '../../src/diagnose/fenced-sql.js';
import type { Session } from '../../src/io/index.js';
import { sessionWith } from '../helpers/session.js';

let session: Session | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
});

const dir = mkdtempSync(join(tmpdir(), 'skewcheck-fenced-sql-'));
const sqlFile = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const log = (batchSqlPath: string) => ({ timeColumn: 'ts', batchSqlPath });
type SqlLog = ReturnType<typeof log> & { allowExternalAccess?: boolean };
/** One re-run in a sandbox of its own. */
async function runBatchSqlFenced(on: Session, sqlLog: SqlLog, events: string, output: string): Promise<void> {
  const fenced = new FencedBatchSql(on, sqlLog);
  try {
    await fenced.run(events, output);
  } finally {
    fenced.close();
  }
}
const EVENTS = `SELECT * FROM (VALUES ('a', TIMESTAMP '2026-01-01 10:00', 1.5), ('a', TIMESTAMP '2026-01-01 10:01', NULL), ('b', TIMESTAMP '2026-01-01 10:02', 2.0)) t(k, ts, amount)`;

describe('the batch SQL re-run for an intervention', () => {
  it('reads the transformed events as `events`, and its result lands in the session', async () => {
    session = await sessionWith({ raw: EVENTS, __joined: 'SELECT 42 AS x' });
    const sql = sqlFile(
      'ok.sql',
      'SELECT k, count(*) AS n, sum(amount) AS total FROM events GROUP BY k ORDER BY k',
    );
    await runBatchSqlFenced(session, log(sql), 'SELECT k, ts, COALESCE(amount, 0) AS amount FROM raw', 'out');
    const rows = await session.rows('SELECT k, n, total FROM out ORDER BY k');
    expect(rows.map((r) => [r.k, Number(r.n), r.total])).toEqual([
      ['a', 2, 1.5],
      ['b', 1, 2],
    ]);
  });

  it("cannot read, replace or drop skewcheck's tables", async () => {
    session = await sessionWith({ raw: EVENTS, __joined: 'SELECT 42 AS x' });
    const replaces = sqlFile(
      'replace.sql',
      'CREATE OR REPLACE TABLE __joined AS SELECT 0 AS x;\nDROP TABLE IF EXISTS raw;\nSELECT k, count(*) AS n FROM events GROUP BY k',
    );
    await runBatchSqlFenced(session, log(replaces), 'SELECT * FROM raw', 'out');
    expect(Number((await session.rows('SELECT x FROM __joined'))[0]!.x)).toBe(42);
    expect(Number((await session.rows('SELECT count(*) AS n FROM raw'))[0]!.n)).toBe(3);

    const reads = sqlFile('read.sql', 'SELECT x FROM __joined');
    await expect(runBatchSqlFenced(session, log(reads), 'SELECT * FROM raw', 'out2')).rejects.toThrow(
      /__joined/,
    );
  });

  it('has no file access unless the run allows it', async () => {
    session = await sessionWith({ raw: EVENTS });
    const target = join(dir, 'written.csv');
    const writes = sqlFile('copy.sql', `COPY (SELECT 1 AS x) TO '${target}';\nSELECT k FROM events`);
    await expect(runBatchSqlFenced(session, log(writes), 'SELECT * FROM raw', 'out')).rejects.toThrow(
      /disabled|external/i,
    );
    expect(existsSync(target)).toBe(false);
    await runBatchSqlFenced(
      session,
      { ...log(writes), allowExternalAccess: true },
      'SELECT * FROM raw',
      'out',
    );
    expect(existsSync(target)).toBe(true);
  });

  it('gives each run of one sandbox only its own events, whatever ran before', async () => {
    session = await sessionWith({ raw: EVENTS });
    const counts = sqlFile(
      'counts.sql',
      'SELECT k, count(*) AS n, sum(amount) AS total FROM events GROUP BY k',
    );
    const fenced = new FencedBatchSql(session, log(counts));
    try {
      const picks = ["k = 'a'", "k = 'b'", 'true', "k = 'a' AND amount IS NOT NULL", 'false'];
      for (const [i, where] of picks.entries()) {
        await fenced.run(`SELECT * FROM raw WHERE ${where}`, `out${i}`);
        const got = await session.rows(`SELECT k, n, total FROM out${i} ORDER BY k`);
        const want = await session.rows(
          `SELECT k, count(*) AS n, sum(amount) AS total FROM raw WHERE ${where} GROUP BY k ORDER BY k`,
        );
        expect(got).toEqual(want);
      }
    } finally {
      fenced.close();
    }
  });

  it('runs a file that creates tables as often as asked, each time in a database without them', async () => {
    session = await sessionWith({ raw: EVENTS });
    const creates = sqlFile(
      'creates.sql',
      'CREATE TABLE totals AS SELECT k, count(*) AS n FROM events GROUP BY k;\nCREATE MACRO twice(x) AS 2 * x;\nSELECT k, twice(n) AS n2 FROM totals',
    );
    const fenced = new FencedBatchSql(session, log(creates));
    try {
      for (const [i, where] of ["k = 'a'", 'true', "k = 'b'"].entries()) {
        await fenced.run(`SELECT * FROM raw WHERE ${where}`, `out${i}`);
        const got = await session.rows(`SELECT k, n2 FROM out${i} ORDER BY k`);
        const want = await session.rows(
          `SELECT k, 2 * count(*) AS n2 FROM raw WHERE ${where} GROUP BY k ORDER BY k`,
        );
        expect(got).toEqual(want);
      }
    } finally {
      fenced.close();
    }
  });

  it('goes on after a run that failed, and gives a time column read as text to the SQL as TIMESTAMP', async () => {
    session = await sessionWith({ raw: EVENTS });
    const typed = sqlFile(
      'typed.sql',
      'SELECT k, typeof(ts) AS t, max(ts) AS last FROM events GROUP BY k, typeof(ts)',
    );
    const fenced = new FencedBatchSql(session, log(typed));
    try {
      await expect(fenced.run('SELECT k, amount FROM raw', 'bad')).rejects.toThrow(/ts/);
      await fenced.run('SELECT k, CAST(ts AS VARCHAR) AS ts FROM raw', 'good');
      const rows = await session.rows('SELECT k, t, CAST(last AS VARCHAR) AS last FROM good ORDER BY k');
      expect(rows).toEqual([
        { k: 'a', t: 'TIMESTAMP', last: '2026-01-01 10:01:00' },
        { k: 'b', t: 'TIMESTAMP', last: '2026-01-01 10:02:00' },
      ]);
    } finally {
      fenced.close();
    }
  });
});
