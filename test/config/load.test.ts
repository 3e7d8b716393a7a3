import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig } from '../../src/config/index.js';
import { InputError } from '../../src/errors.js';
import { tempDir } from '../e2e/cli.js';

describe('loadConfig', () => {
  it('loads a typed skewcheck.config.ts written with defineConfig', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'skewcheck.config.ts'),
      [
        "import { defineConfig } from 'skewcheck';",
        'export default defineConfig({',
        "  featureSets: { fraud: { events: 'e.parquet', batch: 'f.sql', stream: 'f.ts', key: ['user_id'], tolerances: { total: { abs: 0.01 } } } },",
        "  driftChecks: { snapshots: { train: 't/*.parquet', prod: 'p.parquet', maxDrifted: '10%' } },",
        '});',
      ].join('\n'),
    );
    const loaded = await loadConfig(join(dir, 'skewcheck.config.ts'));
    expect(loaded.dir).toBe(dir);
    expect(loaded.config.featureSets?.fraud?.tolerances).toEqual({ total: { abs: 0.01 } });
    expect(loaded.config.driftChecks?.snapshots?.maxDrifted).toBe('10%');
  });

  it('reports every bad key of a TS config by path', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'skewcheck.config.mjs'),
      "export default { featureSets: { a: { events: 1, batch: 'b', stream: 's', key: [] } }, extra: true };\n",
    );
    const error = await loadConfig(join(dir, 'skewcheck.config.mjs')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).toMatch(/skewcheck\.config\.mjs: extra: unknown key "extra"/);
    expect(message).toMatch(
      /skewcheck\.config\.mjs: featureSets\.a\.events: Invalid input: expected string, received number/,
    );
    expect(message).toMatch(/featureSets\.a\.key: Too small: expected array to have >=1 items/);
  });

  it('names the line of invalid YAML', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'skewcheck.yaml'), 'featureSets:\n  a:\n    events: [unclosed\n');
    await expect(loadConfig(join(dir, 'skewcheck.yaml'))).rejects.toThrow(
      /skewcheck\.yaml:\d+: invalid YAML/,
    );
  });

  it('finds the nearest config walking up from a subfolder', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a/b'), { recursive: true });
    writeFileSync(join(dir, 'skewcheck.yaml'), '{}\n');
    expect(findConfig(join(dir, 'a/b'))).toBe(join(dir, 'skewcheck.yaml'));
  });
});
