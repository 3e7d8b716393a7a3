// SKEWCHECK_MEMORY_LIMIT: a size DuckDB takes, empty as unset, anything else refused in words.
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { memoryLimitFromEnv, Session } from '../../src/io/session.js';

const saved = process.env.SKEWCHECK_MEMORY_LIMIT;
afterEach(() => {
  if (saved === undefined) delete process.env.SKEWCHECK_MEMORY_LIMIT;
  else process.env.SKEWCHECK_MEMORY_LIMIT = saved;
});

describe('SKEWCHECK_MEMORY_LIMIT', () => {
  it.each(['4GB', '512MB', '1.5GiB', '2 gb', '100000B'])('takes %j, and DuckDB does too', async (value) => {
    process.env.SKEWCHECK_MEMORY_LIMIT = value;
    expect(memoryLimitFromEnv()).toBe(value);
    const session = await Session.open();
    session.close();
  });

  it.each(['', '   '])('reads %j as unset', (value) => {
    process.env.SKEWCHECK_MEMORY_LIMIT = value;
    expect(memoryLimitFromEnv()).toBeUndefined();
  });

  it.each(['lots', '4', 'GB', '-1GB', '4GB;'])('refuses %j with a usage error naming it', async (value) => {
    process.env.SKEWCHECK_MEMORY_LIMIT = value;
    expect(() => memoryLimitFromEnv()).toThrow(UsageError);
    await expect(Session.open()).rejects.toThrow(`SKEWCHECK_MEMORY_LIMIT is ${JSON.stringify(value)}`);
  });
});
