// Settings that used to exist only as flags now have config keys, read by `check` the same way
// the command line reads them (see config/resolve.ts).
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/check/index.js';
import { loadConfig } from '../../src/config/index.js';
import { FRAUD, tempDir } from '../e2e/cli.js';

describe('check reads every replay and drift setting from the config', () => {
  it('writes mismatches beside the config, keeps `sample` rows, and rejects conflicting orders', async () => {
    const dir = tempDir();
    for (const file of [
      'events.parquet',
      'features.sql',
      'features.skewed.ts',
      'train.parquet',
      'prod.parquet',
    ])
      cpSync(join(FRAUD, file), join(dir, file));
    writeFileSync(
      join(dir, 'skewcheck.yaml'),
      [
        'featureSets:',
        '  skewed:',
        '    events: events.parquet',
        '    batch: features.sql',
        '    stream: features.skewed.ts',
        '    key: user_id',
        '    sample: 2',
        '    mismatches: out.csv',
        '  both_orders:',
        '    events: events.parquet',
        '    batch: features.sql',
        '    stream: features.skewed.ts',
        '    key: user_id',
        '    arrivalColumn: ts',
        '    simulateDelay: rate=0.1,max=1h',
        'driftChecks:',
        '  snapshots:',
        '    train: train.parquet',
        '    prod: prod.parquet',
        '    exclude: user_id, snapshot_ts',
        '    minNullChange: 0.9',
        '',
      ].join('\n'),
    );
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const result = await runChecks({
        config: await loadConfig(join(dir, 'skewcheck.yaml')),
        concurrency: 1,
      });
      const [both, skewed, snapshots] = result.checks;
      expect(both?.status).toBe('error');
      expect(both?.error).toMatch(
        /use either featureSets\.both_orders\.arrivalColumn or featureSets\.both_orders\.simulateDelay, not both/,
      );
      expect(skewed?.status).toBe('fail');
      const diff = skewed?.result;
      expect(diff?.command).toBe('replay');
      expect(diff && 'samples' in diff ? diff.samples.length : -1).toBe(2);
      expect(diff && 'mismatches_file' in diff ? diff.mismatches_file : undefined).toBe('out.csv');
      expect(existsSync(join(dir, 'out.csv'))).toBe(true);
      expect(readFileSync(join(dir, 'out.csv'), 'utf8').split('\n').length).toBeGreaterThan(3);
      const drift = snapshots?.result;
      expect(drift?.command).toBe('drift');
      expect(drift && 'settings' in drift ? drift.settings.min_null_change : undefined).toBe(0.9);
    } finally {
      process.chdir(cwd);
    }
  });
});
