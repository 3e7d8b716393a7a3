// A forked session is another connection to the same database: the bisection runs on one while
// the diagnosis runs on the first, so what each sees and what closing it ends must be exact.
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/io/index.js';

describe('Session.fork', () => {
  it("sees the database's tables, not the first connection's TEMP tables, and closes only itself", async () => {
    const session = await Session.open();
    try {
      await session.run('CREATE TABLE shared AS SELECT range AS x FROM range(5)');
      await session.run('CREATE TEMP TABLE mine AS SELECT 1 AS y');
      const fork = await session.fork();
      try {
        expect(Number(await fork.scalar('SELECT sum(x) FROM shared'))).toBe(10);
        await expect(fork.scalar('SELECT y FROM mine')).rejects.toThrow(/mine/);
        await fork.run('CREATE TABLE made_by_fork AS SELECT 7 AS z');
        // Both at once: the two connections run queries concurrently.
        const [a, b] = await Promise.all([
          session.scalar('SELECT count(*) FROM range(200000) t(i), shared WHERE i % 7 = x'),
          fork.scalar('SELECT count(*) FROM range(200000) t(i), shared WHERE i % 5 = x'),
        ]);
        expect([Number(a), Number(b)]).toEqual([142858, 200000]);
      } finally {
        fork.close();
      }
      expect(Number(await session.scalar('SELECT z FROM made_by_fork'))).toBe(7);
      expect(Number(await session.scalar('SELECT y FROM mine'))).toBe(1);
    } finally {
      session.close();
    }
  });
});
