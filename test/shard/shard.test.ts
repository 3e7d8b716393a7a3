// The shard of a key: the documented rule (docs/sharding.md) recomputed independently with
// node:crypto, and the validation of `--shard i/N`.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Session } from '../../src/io/index.js';
import { parseShard, shardExpression } from '../../src/shard/index.js';
import { sessionWith } from '../helpers/session.js';

/** docs/sharding.md's rule, for keys already in canonical text ('N' for NULL). */
function shardOf(parts: (string | null)[], count: number): number {
  const text = parts.map((p) => (p === null ? 'N' : `V${p}`)).join('\u001f');
  return Number(BigInt(`0x${createHash('md5').update(text).digest('hex').slice(0, 16)}`) % BigInt(count));
}

let session: Session;
beforeAll(async () => {
  session = await sessionWith({
    keys: `SELECT * FROM (VALUES (1, 'u000218', 42), (2, ' U000218 ', 7), (3, NULL, NULL), (4, '042', 3), (5, 'Ärger', 0)) AS t(id, k, n)`,
  });
});
afterAll(() => session.close());

async function shards(columns: string[], count: number): Promise<number[]> {
  const rows = await session.rows(`SELECT ${shardExpression(columns, count)} AS s FROM keys ORDER BY id`);
  return rows.map((r) => Number(r.s));
}

describe('shard of a key', () => {
  it('follows the documented rule: trimmed, lower-cased or numeric text, md5, first 64 bits, mod N', async () => {
    expect(await shards(['k'], 7)).toEqual([
      shardOf(['u000218'], 7),
      shardOf(['u000218'], 7),
      shardOf([null], 7),
      shardOf(['42.0'], 7),
      shardOf(['ärger'], 7),
    ]);
    expect(await shards(['k', 'n'], 5)).toEqual([
      shardOf(['u000218', '42.0'], 5),
      shardOf(['u000218', '7.0'], 5),
      shardOf([null, null], 5),
      shardOf(['42.0', '3.0'], 5),
      shardOf(['ärger', '0.0'], 5),
    ]);
  });

  it('puts keys that differ only by whitespace, case or type in one shard', async () => {
    const [a, b] = await shards(['k'], 16);
    expect(a).toBe(b);
    const numeric = await session.rows(
      `SELECT ${shardExpression(['n'], 16)} AS s FROM (VALUES (42), (42)) AS t(n) UNION ALL SELECT ${shardExpression(['k'], 16)} FROM (VALUES (' 042')) AS t(k)`,
    );
    expect(new Set(numeric.map((r) => Number(r.s))).size).toBe(1);
  });
});

describe('--shard i/N', () => {
  it('accepts 0 ≤ i < N', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
  });

  it.each(['4/4', '1/0', '-1/4', 'a/4', '1', '1/4/2', ''])('refuses %j', (spec) => {
    expect(() => parseShard(spec)).toThrow(UsageError);
  });

  it('says shards count from 0 when given N/N', () => {
    expect(() => parseShard('4/4')).toThrow(/numbered from 0: the last of 4 is 3\/4/);
  });
});
