// Test helpers: a DuckDB session with small tables built from SQL VALUES.
import { Session } from '../../src/io/index.js';

export async function sessionWith(tables: Record<string, string>): Promise<Session> {
  const session = await Session.open({ memoryLimit: '256MB', threads: 1 });
  for (const [name, sql] of Object.entries(tables)) await session.run(`CREATE TABLE "${name}" AS ${sql}`);
  return session;
}
