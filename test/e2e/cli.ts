// Runs the built CLI as a user would: `node bin/skewcheck.js …` (run `npm run build` first;
// `npm test` does).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/skewcheck.js');
export const FRAUD = join(ROOT, 'samples/fraud');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function skewcheck(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): CliRun {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ...options.env },
    timeout: 120_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'skewcheck-test-'));
}
