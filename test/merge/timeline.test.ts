// The merged timeline re-buckets each shard's buckets into the width picked for the whole run;
// a bucket start must be the one DuckDB's time_bucket gives, for every width the diff may pick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/io/index.js';
import { bucketStart } from '../../src/merge/plots.js';
import { sessionWith } from '../helpers/session.js';

const WIDTHS: [string, number][] = [
  ['5 seconds', 5],
  ['15 minutes', 900],
  ['3 hours', 3 * 3600],
  ['1 day', 86_400],
  ['7 days', 7 * 86_400],
  ['1 month', 2_629_746],
  ['3 months', 7_889_238],
  ['1 year', 31_556_952],
  ['10 years', 315_569_520],
];
const TIMES = [
  '1969-12-31 23:59:59.5',
  '1999-03-01 12:00:00',
  '2000-01-02 23:00:00',
  '2026-01-07 22:55:00',
  '2031-11-30 01:02:03',
];

let session: Session;
beforeAll(async () => {
  session = await sessionWith({});
});
afterAll(() => session.close());

describe('bucketStart', () => {
  it.each(WIDTHS)("matches DuckDB's time_bucket(INTERVAL '%s', t)", async (label, seconds) => {
    const rows = await session.rows(
      `SELECT t, time_bucket(INTERVAL '${label}', t) AS b FROM (VALUES ${TIMES.map((t) => `(TIMESTAMP '${t}')`).join(', ')}) AS v(t)`,
    );
    for (const row of rows) {
      const t = (row.t as Date).toISOString();
      expect(bucketStart(t, label, seconds)).toBe((row.b as Date).toISOString());
    }
  });
});
