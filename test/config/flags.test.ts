// The flag tables are typed over the settings schemas: these tests pin that a setting without a
// flag, a flag without a setting, a parser of the wrong type and a wrongly required flag are
// compile errors (the `@ts-expect-error` lines fail `npm run typecheck` if they stop being
// errors), and that the command line, the config and the library read settings the same way.
import { Command } from 'commander';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { addSettingFlags, settingsFromFlags } from '../../src/cli/settings-flags.js';
import { diffFlags, driftFlags, type FlagTable, flagLabels, replayFlags } from '../../src/config/flags.js';
import { diffOptions, driftOptions, replayOptions } from '../../src/config/resolve.js';
import {
  type DiffConfig,
  type DriftCheckConfig,
  diffSchema,
  driftCheckSchema,
  type ReplayConfig,
  replaySchema,
} from '../../src/config/schema.js';
import { durationMs, featureTolerance, nameList, numberSetting } from '../../src/config/values.js';
import { UsageError } from '../../src/errors.js';

interface Settings {
  input: string;
  limit?: number;
}

const text = (value: string) => value;

describe('FlagTable<Settings>', () => {
  it('is a compile error to leave a setting without a flag, or to add a flag without a setting', () => {
    const complete: FlagTable<Settings> = {
      input: { flag: '--input <file>', description: 'input', parse: text, required: true },
      limit: { flag: '--limit <n>', description: 'limit', parse: (v, f) => numberSetting(v, f) },
    };
    // @ts-expect-error — `limit` has no flag
    const missing: FlagTable<Settings> = {
      input: { flag: '--input <file>', description: 'input', parse: text, required: true },
    };
    const extra: FlagTable<Settings> = {
      ...complete,
      // @ts-expect-error — `--verbose` sets no setting
      verbose: { flag: '--verbose', description: 'more', parse: text },
    };
    expect(Object.keys(complete)).toEqual(['input', 'limit']);
    expect([missing, extra]).toHaveLength(2);
  });

  it('is a compile error for a parser to return the wrong type, or to get `required` wrong', () => {
    const wrongType: FlagTable<Settings> = {
      input: { flag: '--input <file>', description: 'input', parse: text, required: true },
      // @ts-expect-error — `limit` is a number, the parser returns a string
      limit: { flag: '--limit <n>', description: 'limit', parse: text },
    };
    const notRequired: FlagTable<Settings> = {
      // @ts-expect-error — `input` is required in the settings, so its flag must be
      input: { flag: '--input <file>', description: 'input', parse: text },
      limit: {
        flag: '--limit <n>',
        description: 'limit',
        parse: (v, f) => numberSetting(v, f),
        // @ts-expect-error — `limit` is optional, so its flag cannot be required
        required: true,
      },
    };
    expect([wrongType, notRequired]).toHaveLength(2);
  });

  it('covers every key of each command schema, and nothing else', () => {
    expect(Object.keys(replayFlags).sort()).toEqual(Object.keys(replaySchema.shape).sort());
    expect(Object.keys(diffFlags).sort()).toEqual(Object.keys(diffSchema.shape).sort());
    expect(Object.keys(driftFlags).sort()).toEqual(Object.keys(driftCheckSchema.shape).sort());
    expectTypeOf(replayFlags).toEqualTypeOf<FlagTable<ReplayConfig>>();
    expectTypeOf(diffFlags).toEqualTypeOf<FlagTable<DiffConfig>>();
    expectTypeOf(driftFlags).toEqualTypeOf<FlagTable<DriftCheckConfig>>();
  });
});

function parse<S extends object>(table: FlagTable<S>, argv: string[]): S {
  const command = new Command('t').exitOverride();
  addSettingFlags(command, table);
  command.parse(argv, { from: 'user' });
  return settingsFromFlags(command.opts(), table);
}

describe('settings from flags', () => {
  it('reads flags into the config shape, tolerance parts grouped and --tol repeated', () => {
    const settings = parse(replayFlags, [
      ...['--events', 'e.parquet', '--batch', 'f.sql', '--stream', 'f.ts', '--key', 'user_id, shop'],
      ...['--abs-tol', '0.5', '--tol', 'a=abs:1', '--tol', 'b=rel:0.1', '--event-id', 'txn'],
      ...['--sample', '3', '--arrival-column', 'ingest', '--max-out-of-orderness', '5m'],
    ]);
    expect(settings).toEqual({
      events: 'e.parquet',
      batch: 'f.sql',
      stream: 'f.ts',
      key: ['user_id', 'shop'],
      tolerance: { abs: 0.5 },
      tolerances: { a: { abs: 1 }, b: { rel: 0.1 } },
      eventId: 'txn',
      sample: 3,
      arrivalColumn: 'ingest',
      maxOutOfOrderness: '5m',
    });
    expect(replaySchema.safeParse(settings).success).toBe(true);
    const options = replayOptions(settings, flagLabels(replayFlags));
    expect(options.featureTolerances).toEqual({ a: { abs: 1, rel: 1e-9 }, b: { abs: 0.5, rel: 0.1 } });
    expect(options.maxOutOfOrdernessMs).toBe(300_000);
    expect(options.eventIdColumn).toBe('txn');
    expect(options.sampleSize).toBe(3);
  });

  it('gives the config the same options as the equivalent flags', () => {
    const fromFlags = parse(driftFlags, [
      ...['--train', 't.parquet', '--prod', 'p.parquet', '--exclude', 'id,ts', '--min-null-change', '0.2'],
      ...['--max-drifted', '10%', '--correction', 'BONFERRONI'],
    ]);
    const fromConfig = driftCheckSchema.parse({
      train: 't.parquet',
      prod: 'p.parquet',
      exclude: ['id', 'ts'],
      minNullChange: 0.2,
      maxDrifted: '10%',
      correction: 'bonferroni',
    });
    const label = (key: string) => `driftChecks.x.${key}`;
    expect(driftOptions(fromFlags, flagLabels(driftFlags))).toEqual(driftOptions(fromConfig, label));
    expect(driftOptions(fromConfig, label)).toMatchObject({ minNullChange: 0.2, maxDrifted: { share: 0.1 } });
  });

  it('names the setting by flag on the command line and by key path in a config', () => {
    const bad = {
      events: 'e',
      batch: 'b',
      stream: 's',
      key: 'k',
      maxOutOfOrderness: 'soon',
      arrivalColumn: 'a',
    };
    expect(() => replayOptions(bad, flagLabels(replayFlags))).toThrow(
      /^--max-out-of-orderness must be a duration such as 30s, 5m or 1h, got "soon"$/,
    );
    expect(() => replayOptions(bad, (k) => `featureSets.f.${k}`)).toThrow(
      /^featureSets\.f\.maxOutOfOrderness must be a duration such as 30s, 5m or 1h, got "soon"$/,
    );
    expect(() => parse(diffFlags, ['--left', 'a', '--right', 'b', '--key', 'k', '--sample', '2.5'])).toThrow(
      /^--sample must be a whole number, got "2.5"$/,
    );
    expect(() => diffOptions({ left: 'a', right: 'b', key: ['k', 'k'] }, flagLabels(diffFlags))).toThrow(
      /^--key names "k" twice$/,
    );
  });
});

describe('shared value parsers', () => {
  it('parse each kind of setting once, for every caller', () => {
    expect(durationMs('1h30m', 'x')).toBe(5_400_000);
    expect(durationMs(250, 'x')).toBe(250);
    expect(nameList('a, b,,c', 'x')).toEqual(['a', 'b', 'c']);
    expect(nameList(['a,b'], 'x')).toEqual(['a,b']);
    expect(() => nameList(' , ', '--features')).toThrow(/--features needs at least one column name/);
    expect(numberSetting('0.25', 'x', { min: 0, max: 1 })).toBe(0.25);
    expect(() => numberSetting('1.5', '--max-mismatch-rate', { min: 0, max: 1 })).toThrow(
      /--max-mismatch-rate must be a number from 0 to 1, got "1.5"/,
    );
    expect(featureTolerance('f=abs:0.1,rel:0.2', '--tol')).toEqual({ f: { abs: 0.1, rel: 0.2 } });
    expect(() => featureTolerance('f=abs:-1', '--tol')).toThrow(UsageError);
  });
});
