// The hostile-input suite (issue 11): every case of hostile-cases.ts runs the built CLI and
// must end with its exit code and message, print no stack trace, finish before its timeout,
// and leave every input file byte-identical. Cases run a few at a time on tiny inputs.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './cli.js';
import { type CaseContext, HOSTILE_CASES, type HostileCase } from './hostile-cases.js';
import { writeHostileFixtures } from './hostile-fixtures.js';

/** A case that has not ended by then hangs (the machine may be busy: generous, but finite). */
const CASE_TIMEOUT_MS = 60_000;

/** A stack trace: frames in Node's internals or skewcheck's code, or two frames in a row. */
const STACK = /\n\s+at .*(node:internal|node_modules|\/dist\/|\/src\/)|\n\s+at .*\n\s+at |internal error/;

let fixtures: string;
let outputs: string;
let hashes: Map<string, string>;

function hashAll(dir: string, into = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hashAll(path, into);
    else into.set(path, createHash('sha256').update(readFileSync(path)).digest('hex'));
  }
  return into;
}

function run(
  args: string[],
  options: { cwd: string; fullStdout?: boolean; timeoutMs?: number },
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((done) => {
    const full = options.fullStdout ? openSync('/dev/full', 'w') : undefined;
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', CI: 'true' },
      stdio: ['ignore', full ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? CASE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (full !== undefined) closeSync(full);
      done({ code, stdout, stderr, timedOut });
    });
  });
}

beforeAll(async () => {
  fixtures = mkdtempSync(join(tmpdir(), 'skewcheck-hostile-in-'));
  outputs = mkdtempSync(join(tmpdir(), 'skewcheck-hostile-out-'));
  await writeHostileFixtures(fixtures);
  // A saved diff result for `report`.
  const saved = await run(
    [
      'diff',
      '--left',
      join(fixtures, 'l.parquet'),
      '--right',
      join(fixtures, 'r.parquet'),
      '--key',
      'k',
      '-q',
      '--json',
      join(fixtures, 'result.json'),
    ],
    { cwd: ROOT },
  );
  expect(saved.code, saved.stderr).toBe(1);
  hashes = hashAll(fixtures);
}, 120_000);

describe('the table of hostile inputs', () => {
  it('has at least 150 cases across every command, with unique names', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(150);
    const names = HOSTILE_CASES.map((c) => `${c.command}: ${c.name}`);
    expect(new Set(names).size).toBe(names.length);
    for (const command of ['replay', 'diff', 'drift', 'check', 'init', 'report']) {
      expect(
        HOSTILE_CASES.some((c) => c.command === command),
        command,
      ).toBe(true);
    }
  });
});

describe.concurrent('hostile input', () => {
  HOSTILE_CASES.forEach((hostile: HostileCase, index) => {
    it(
      `${hostile.command}: ${hostile.name}`,
      async () => {
        const folder = join(outputs, String(index));
        mkdirSync(folder);
        const context: CaseContext = {
          f: (name) => join(fixtures, name),
          out: (name) => join(folder, name),
        };
        const args = [hostile.command, ...hostile.args(context)];
        const result = await run(args, {
          cwd: hostile.cwd?.(context) ?? folder,
          fullStdout: hostile.fullStdout,
          timeoutMs: hostile.timeoutMs,
        });
        const shown = `$ skewcheck ${args.join(' ')}\n--- exit ${result.code}\n--- stderr\n${result.stderr}\n--- stdout\n${result.stdout.slice(0, 2000)}`;
        expect(result.timedOut, `hung past ${hostile.timeoutMs ?? CASE_TIMEOUT_MS} ms\n${shown}`).toBe(false);
        expect(result.code, shown).toBe(hostile.exit);
        expect(result.stderr + result.stdout, `a stack trace\n${shown}`).not.toMatch(STACK);
        if (hostile.message) {
          expect(hostile.on === 'stdout' ? result.stdout : result.stderr, shown).toMatch(hostile.message);
        }
        hostile.verify?.(context, result);
        const after = hashAll(fixtures);
        for (const [path, hash] of hashes) expect(after.get(path), `input changed: ${path}`).toBe(hash);
      },
      (hostile.timeoutMs ?? CASE_TIMEOUT_MS) + 30_000,
    );
  });
});
