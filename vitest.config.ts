import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB uses both cores per test file; two files at once is what this 2-core machine takes.
    maxWorkers: 2,
  },
});
