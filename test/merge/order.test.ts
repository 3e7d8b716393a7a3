// The merge re-ranks rows picked per shard; its order must be DuckDB's ORDER BY … ASC NULLS FIRST.
// Checked against DuckDB itself on values where a naive JS order goes wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonValue } from '../../src/diff/index.js';
import type { Session } from '../../src/io/index.js';
import { compareValues } from '../../src/merge/order.js';
import { sessionWith } from '../helpers/session.js';

let session: Session;
beforeAll(async () => {
  session = await sessionWith({});
});
afterAll(() => session.close());

async function duckdbOrder(values: string, type: string): Promise<unknown[]> {
  const rows = await session.rows(
    `SELECT CAST(v AS ${type}) AS v FROM (VALUES ${values}) AS t(v) ORDER BY CAST(v AS ${type}) ASC NULLS FIRST`,
  );
  return rows.map((r) => jsonValue(r.v));
}

async function check(values: string, type: string, numeric: boolean): Promise<void> {
  const expected = await duckdbOrder(values, type);
  const shuffled = [...expected].reverse();
  const sorted = shuffled.sort((a, b) => compareValues(a as never, b as never, numeric));
  expect(sorted).toEqual(expected);
}

describe('merge order matches DuckDB', () => {
  it('text by UTF-8 bytes (not UTF-16 units), NULL first', async () => {
    await check(`('b'), ('B'), (NULL), ('é'), ('😀'), ('\uff61'), ('a10'), ('a9'), ('')`, 'VARCHAR', false);
  });

  it('big integers beyond 2^53 (JSON text) and negatives by value', async () => {
    await check(
      `('9223372036854775807'), ('-9223372036854775808'), ('9007199254740993'), ('10'), ('-3'), (NULL), ('9')`,
      'BIGINT',
      true,
    );
  });

  it('doubles with ±Infinity and NaN', async () => {
    await check(`('1.5'), ('-inf'), ('inf'), ('nan'), ('-0.25'), (NULL), ('1e300')`, 'DOUBLE', true);
  });

  it('timestamps as ISO text, booleans', async () => {
    await check(
      `('2026-01-02 10:00:00'), ('1999-12-31 23:59:59.5'), (NULL), ('2026-01-02 09:59:59')`,
      'TIMESTAMP',
      false,
    );
    await check(`('true'), ('false'), (NULL)`, 'BOOLEAN', false);
  });
});
