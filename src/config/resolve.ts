// From a command's settings (as the config, the library API and the command line all give them,
// see schema.ts) to the options of the core function that runs it: defaults applied, names
// split, durations in milliseconds, tolerances merged. Every message names the setting by the
// caller's label for it: the flag on the command line and in the library, the key path in a
// config.
import { DEFAULT_BISECT_SAMPLE } from '../diagnose/index.js';
import { DEFAULT_TOLERANCE, type DiffFilesOptions, type Tolerance } from '../diff/index.js';
import { DRIFT_DEFAULTS, type DriftOptions, parseCorrection, parseMaxDrifted } from '../drift/index.js';
import { UsageError } from '../errors.js';
import { parseSimulatedDelay, type ReplayOptions } from '../replay/index.js';
import { parseShard } from '../shard/index.js';
import type { DiffConfig, DriftCheckConfig, FeatureSetConfig, ReplayConfig } from './schema.js';
import { durationMs, nameList, numberSetting, type ToleranceSetting, toleranceValue } from './values.js';

/** The caller's name for a setting, from its key path (`maxOutOfOrderness`, `tolerance.abs`). */
export type SettingLabel = (path: string) => string;

/** Defaults of the settings that have one (also shown in --help). */
export const SETTING_DEFAULTS = {
  timeColumn: 'ts',
  maxOutOfOrderness: '0s',
  allowedLateness: '0s',
  maxMismatchRate: 0,
  sample: 20,
  tolerance: DEFAULT_TOLERANCE,
  alpha: DRIFT_DEFAULTS.alpha,
  correction: DRIFT_DEFAULTS.correction,
  minEffect: DRIFT_DEFAULTS.minEffect,
  minNullChange: DRIFT_DEFAULTS.minNullChange,
  maxDrifted: 0,
  bisectSample: DEFAULT_BISECT_SAMPLE,
  timeout: '1m',
  memoryLimit: 4096,
} as const;

/** runReplay's options, and how many differing windows to bisect to their first divergent event. */
export type ResolvedReplay = ReplayOptions & { bisectSample: number };

type Comparison = Pick<
  FeatureSetConfig,
  'key' | 'tolerance' | 'tolerances' | 'maxMismatchRate' | 'sample' | 'mismatches'
>;

function tolerancePart(setting: ToleranceSetting, base: Tolerance, label: string): Tolerance {
  return {
    abs: setting.abs === undefined ? base.abs : toleranceValue(setting.abs, `${label}.abs`),
    rel: setting.rel === undefined ? base.rel : toleranceValue(setting.rel, `${label}.rel`),
  };
}

function comparisonOptions(settings: Comparison, label: SettingLabel) {
  const tolerance: Tolerance = {
    abs:
      settings.tolerance?.abs === undefined
        ? DEFAULT_TOLERANCE.abs
        : toleranceValue(settings.tolerance.abs, label('tolerance.abs')),
    rel:
      settings.tolerance?.rel === undefined
        ? DEFAULT_TOLERANCE.rel
        : toleranceValue(settings.tolerance.rel, label('tolerance.rel')),
  };
  const featureTolerances = Object.fromEntries(
    Object.entries(settings.tolerances ?? {}).map(([feature, t]) => [
      feature,
      tolerancePart(t, tolerance, `${label('tolerances')} ${feature}`),
    ]),
  );
  return {
    keyColumns: nameList(settings.key, label('key')),
    tolerance,
    featureTolerances,
    maxMismatchRate: numberSetting(
      settings.maxMismatchRate ?? SETTING_DEFAULTS.maxMismatchRate,
      label('maxMismatchRate'),
      { min: 0, max: 1 },
    ),
    sampleSize: numberSetting(settings.sample ?? SETTING_DEFAULTS.sample, label('sample'), {
      min: 0,
      integer: true,
    }),
    mismatchesPath: settings.mismatches,
  };
}

/** `replay`'s settings (a feature set's, perhaps with a shard) as runReplay's options. */
export function replayOptions(set: ReplayConfig, label: SettingLabel): ResolvedReplay {
  if (set.arrivalColumn && set.simulateDelay) {
    throw new UsageError(`use either ${label('arrivalColumn')} or ${label('simulateDelay')}, not both`);
  }
  const arrival = Boolean(set.arrivalColumn || set.simulateDelay);
  const maxOutOfOrdernessMs = durationMs(
    set.maxOutOfOrderness ?? SETTING_DEFAULTS.maxOutOfOrderness,
    label('maxOutOfOrderness'),
  );
  const allowedLatenessMs = durationMs(
    set.allowedLateness ?? SETTING_DEFAULTS.allowedLateness,
    label('allowedLateness'),
  );
  if (!arrival && (maxOutOfOrdernessMs > 0 || allowedLatenessMs > 0)) {
    throw new UsageError(
      `${label('maxOutOfOrderness')} and ${label('allowedLateness')} apply to arrival-order replay (${label('arrivalColumn')} or ${label('simulateDelay')}); in event-time order no event is late`,
    );
  }
  return {
    eventsPath: set.events,
    format: set.format,
    batchSqlPath: set.batch,
    streamModulePath: set.stream,
    timeColumn: set.timeColumn ?? SETTING_DEFAULTS.timeColumn,
    ...comparisonOptions(set, label),
    arrivalColumn: set.arrivalColumn,
    simulateDelay: set.simulateDelay === undefined ? undefined : parseSimulatedDelay(set.simulateDelay),
    maxOutOfOrdernessMs,
    allowedLatenessMs,
    eventIdColumn: set.eventId,
    allowExternalAccess: set.allowExternalAccess,
    shard: set.shard === undefined ? undefined : parseShard(set.shard, label('shard')),
    bisectSample: numberSetting(set.bisectSample ?? SETTING_DEFAULTS.bisectSample, label('bisectSample'), {
      min: 0,
      integer: true,
    }),
    callTimeoutMs: durationMs(set.timeout ?? SETTING_DEFAULTS.timeout, label('timeout')),
    memoryLimitMb: numberSetting(set.memoryLimit ?? SETTING_DEFAULTS.memoryLimit, label('memoryLimit'), {
      min: 1,
      integer: true,
    }),
    workers:
      set.workers === undefined
        ? undefined
        : numberSetting(set.workers, label('workers'), { min: 1, integer: true }),
  };
}

/** `diff`'s settings as diffFiles' options. */
export function diffOptions(settings: DiffConfig, label: SettingLabel): DiffFilesOptions {
  return {
    leftPath: settings.left,
    rightPath: settings.right,
    format: settings.format,
    timeColumns: settings.time === undefined ? undefined : nameList(settings.time, label('time')),
    shard: settings.shard === undefined ? undefined : parseShard(settings.shard, label('shard')),
    ...comparisonOptions(settings, label),
  };
}

/** runDrift's options, and the chunks of production to test one by one (drift over time). */
export type ResolvedDrift = DriftOptions & { by?: string; time?: string };

/** `drift`'s settings as runDrift's options. */
export function driftOptions(settings: DriftCheckConfig, label: SettingLabel): ResolvedDrift {
  if (settings.time !== undefined && settings.by === undefined) {
    throw new UsageError(
      `${label('time')} chooses the time column of ${label('by')} day|week; pass ${label('by')} too`,
    );
  }
  const names = (value: string | string[] | undefined, path: string) =>
    value === undefined ? undefined : nameList(value, label(path));
  const share = (value: number | undefined, path: string, open = false) =>
    value === undefined ? undefined : numberSetting(value, label(path), { min: 0, max: 1, open });
  return {
    trainPath: settings.train,
    prodPath: settings.prod,
    format: settings.format,
    features: names(settings.features, 'features'),
    exclude: names(settings.exclude, 'exclude'),
    categorical: names(settings.categorical, 'categorical'),
    alpha: share(settings.alpha, 'alpha', true),
    correction: settings.correction === undefined ? undefined : parseCorrection(settings.correction),
    minEffect: share(settings.minEffect, 'minEffect'),
    minNullChange: share(settings.minNullChange, 'minNullChange'),
    maxDrifted: settings.maxDrifted === undefined ? undefined : parseMaxDrifted(String(settings.maxDrifted)),
    by: settings.by,
    time: settings.time,
  };
}
