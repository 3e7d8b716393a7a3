// The command-line flag of every setting in schema.ts, as one table per command typed over the
// command's settings (after vitest's CLIOptions<Config>): a setting without a flag, a flag
// without a setting, or a parser returning the wrong type is a compile error, and a required
// setting is a required flag. The CLI registers and reads flags from these tables only; the
// library API names settings by their flags in its messages, so both read the same.
import { CORRECTIONS, parseCorrection, parseMaxDrifted } from '../drift/index.js';
import { parseFormat } from '../io/index.js';
import { parseShard } from '../shard/index.js';
import { SETTING_DEFAULTS, type SettingLabel } from './resolve.js';
import type { DiffConfig, DriftCheckConfig, FeatureSetConfig, ReplayConfig } from './schema.js';
import { featureTolerance, nameList, numberSetting, toleranceValue } from './values.js';

interface FlagBase<Value> {
  /** commander syntax: '--time-column <col>'. */
  flag: string;
  description: string;
  /** The flag's text as the setting's value; throws a UsageError naming the flag. */
  parse: (text: string, flag: string, previous: Value | undefined) => Value;
  /** Shown as the default in --help; the value itself is applied by resolve.ts. */
  shownDefault?: string | number;
}

export type Flag<Value> = FlagBase<Value> & { required?: false };
/** Any entry of a table, as code that walks a table sees it. */
export type AnyFlag = FlagBase<unknown> & { required?: boolean };
export type RequiredFlag<Value> = FlagBase<Value> & { required: true };

/** Flags for the parts of an object-valued setting (tolerance: --abs-tol, --rel-tol). */
export interface FlagGroup<Value extends object> {
  parts: FlagTable<Value>;
}

type IsOptional<T, K extends keyof T> = Record<never, never> extends Pick<T, K> ? true : false;

/** One flag (or flag group) per setting of `Settings`, required exactly when the setting is. */
export type FlagTable<Settings extends object> = {
  [K in keyof Settings]-?: IsOptional<Settings, K> extends true
    ?
        | Flag<NonNullable<Settings[K]>>
        | (NonNullable<Settings[K]> extends Record<string, unknown>
            ? FlagGroup<NonNullable<Settings[K]>>
            : never)
    : RequiredFlag<Settings[K]>;
};

const text = (value: string) => value;
const names = (value: string, flag: string) => nameList(value, flag);
const number = (value: string, flag: string) => numberSetting(value, flag);
const format = (value: string) => parseFormat(value)!;
const positive = (value: string, flag: string) => numberSetting(value, flag, { min: 1, integer: true });
/** `--max-drifted 2` as the count 2, `10%` as the share text the config also takes. */
const maxDrifted = (value: string) => {
  parseMaxDrifted(value);
  return value.trim().endsWith('%') ? value.trim() : Number(value);
};

/** `--shard 2/8`, checked here and kept as the text the config schema takes. */
const shard = (value: string, flag: string) => {
  parseShard(value, flag);
  return value.trim();
};

const shardFlag = {
  flag: '--shard <i/N>',
  description:
    'only the keys of shard i of N (0-based, 0 ≤ i < N); combine the shard results with `skewcheck merge`',
  parse: shard,
} as const;

const keyFlag = {
  flag: '--key <col[,col]>',
  description: 'entity key column(s)',
  parse: names,
  required: true,
} as const;

/** The flags `replay` and `diff` share after their inputs: tolerances, gate, sample, mismatches. */
const comparisonFlags = {
  tolerance: {
    parts: {
      abs: {
        flag: '--abs-tol <x>',
        description: `absolute tolerance for numeric features (default ${SETTING_DEFAULTS.tolerance.abs})`,
        parse: toleranceValue,
      },
      rel: {
        flag: '--rel-tol <x>',
        description: `relative tolerance for numeric features (default ${SETTING_DEFAULTS.tolerance.rel})`,
        parse: toleranceValue,
      },
    },
  },
  tolerances: {
    flag: '--tol <feature=abs:x,rel:y>',
    description: 'per-feature tolerance override (repeatable)',
    parse: featureTolerance,
  },
  maxMismatchRate: {
    flag: '--max-mismatch-rate <rate>',
    description: 'accept up to this share of differing (key, window) rows, 0..1',
    parse: (value: string, flag: string) => numberSetting(value, flag, { min: 0, max: 1 }),
    shownDefault: SETTING_DEFAULTS.maxMismatchRate,
  },
  sample: {
    flag: '--sample <n>',
    description: 'differing rows to include in the result',
    parse: (value: string, flag: string) => numberSetting(value, flag, { min: 0, integer: true }),
    shownDefault: SETTING_DEFAULTS.sample,
  },
  mismatches: {
    flag: '--mismatches <file>',
    description: 'write every differing row to a .parquet, .csv or .json file',
    parse: text,
  },
} satisfies Partial<FlagTable<FeatureSetConfig>> & Partial<FlagTable<DiffConfig>>;

export const replayFlags: FlagTable<ReplayConfig> = {
  events: {
    flag: '--events <log>',
    description: 'event log: .parquet (file, glob or hive folder), .csv, .json, .ndjson, .arrow',
    parse: text,
    required: true,
  },
  batch: {
    flag: '--batch <features.sql>',
    description: 'DuckDB SQL; the last statement returns the batch features',
    parse: text,
    required: true,
  },
  stream: {
    flag: '--stream <features.ts>',
    description: 'streaming module (.ts or .js) whose default export defines the features',
    parse: text,
    required: true,
  },
  key: keyFlag,
  timeColumn: {
    flag: '--time-column <col>',
    description: 'event-time column of the log',
    parse: text,
    shownDefault: SETTING_DEFAULTS.timeColumn,
  },
  format: {
    flag: '--format <format>',
    description: 'format of the event log when its extension does not say',
    parse: format,
  },
  arrivalColumn: {
    flag: '--arrival-column <col>',
    description: 'replay in arrival order by this ingestion-time column, with a watermark',
    parse: text,
  },
  simulateDelay: {
    flag: '--simulate-delay <spec>',
    description: 'replay in a simulated arrival order: rate=0.01,max=4h[,seed=42]',
    parse: text,
  },
  maxOutOfOrderness: {
    flag: '--max-out-of-orderness <duration>',
    description: 'arrival order: watermark = largest event time seen − this',
    parse: text,
    shownDefault: SETTING_DEFAULTS.maxOutOfOrderness,
  },
  allowedLateness: {
    flag: '--allowed-lateness <duration>',
    description: 'arrival order: a window still takes events this long after it fires',
    parse: text,
    shownDefault: SETTING_DEFAULTS.allowedLateness,
  },
  eventId: {
    flag: '--event-id <col>',
    description: 'column identifying an event, to diagnose duplicated events (default: detected)',
    parse: text,
  },
  allowExternalAccess: {
    flag: '--allow-external-access',
    description: 'let the batch SQL read files and reach the network (by default it sees only `events`)',
    // A switch: commander sets it without a value to parse.
    parse: () => true,
  },
  bisectSample: {
    flag: '--bisect-sample <n>',
    description: 'differing rows whose window is bisected to its first divergent event (0: off)',
    parse: (value: string, flag: string) => numberSetting(value, flag, { min: 0, integer: true }),
    shownDefault: SETTING_DEFAULTS.bisectSample,
  },
  timeout: {
    flag: '--timeout <duration>',
    description: 'longest one call into the streaming module may run (key, add, emit, …)',
    parse: text,
    shownDefault: SETTING_DEFAULTS.timeout,
  },
  memoryLimit: {
    flag: '--memory-limit <MiB>',
    description: 'heap ceiling of each replay worker, in MiB',
    parse: positive,
    shownDefault: SETTING_DEFAULTS.memoryLimit,
  },
  workers: {
    flag: '--workers <n>',
    description:
      'worker threads for a keyed feature replayed in event-time order (key-hash partitions; default: 1 below 5M events, else CPU cores - 1, at least 1)',
    parse: positive,
  },
  ...comparisonFlags,
  shard: shardFlag,
};

export const diffFlags: FlagTable<DiffConfig> = {
  left: {
    flag: '--left <file>',
    description: 'first output, e.g. the batch/offline one (.parquet, .csv, .json, .ndjson, .arrow)',
    parse: text,
    required: true,
  },
  right: {
    flag: '--right <file>',
    description: 'second output, e.g. the stream/online one',
    parse: text,
    required: true,
  },
  key: keyFlag,
  time: {
    flag: '--time <col[,col]>',
    description: 'window column(s) to align on (default: window_start[,window_end])',
    parse: names,
  },
  format: {
    flag: '--format <format>',
    description: 'format of both files when their extensions do not say',
    parse: format,
  },
  ...comparisonFlags,
  shard: shardFlag,
};

export const driftFlags: FlagTable<DriftCheckConfig> = {
  train: {
    flag: '--train <file>',
    description: 'training snapshot (.parquet, .csv, .json, .ndjson, .arrow)',
    parse: text,
    required: true,
  },
  prod: {
    flag: '--prod <file>',
    description: 'production snapshot (a file, a glob, or a hive-partitioned folder)',
    parse: text,
    required: true,
  },
  by: {
    flag: '--by <file|day|week|column>',
    description:
      'drift over time: test each chunk of production (per file, day or week of --time, or value of a column) against training',
    parse: text,
  },
  time: {
    flag: '--time <column>',
    description: 'time column of --by day|week (default: the only date/time column of production)',
    parse: text,
  },
  features: {
    flag: '--features <a,b>',
    description: 'only these feature columns (default: every column in either snapshot)',
    parse: names,
  },
  exclude: {
    flag: '--exclude <a,b>',
    description: 'leave these columns out, e.g. identifiers and timestamps',
    parse: names,
  },
  categorical: {
    flag: '--categorical <a,b>',
    description: 'compare these (numeric) columns as categories',
    parse: names,
  },
  alpha: {
    flag: '--alpha <x>',
    description: 'significance level for the corrected p-values',
    parse: number,
    shownDefault: SETTING_DEFAULTS.alpha,
  },
  correction: {
    flag: '--correction <method>',
    description: `multiple-testing correction: ${CORRECTIONS.join('|')}`,
    parse: parseCorrection,
    shownDefault: SETTING_DEFAULTS.correction,
  },
  minEffect: {
    flag: '--min-effect <x>',
    description: 'smallest effect that counts as drift: KS D, or the total variation between category shares',
    parse: number,
    shownDefault: SETTING_DEFAULTS.minEffect,
  },
  minNullChange: {
    flag: '--min-null-change <x>',
    description: 'smallest absolute change in the null rate that counts as drift',
    parse: number,
    shownDefault: SETTING_DEFAULTS.minNullChange,
  },
  maxDrifted: {
    flag: '--max-drifted <n|p%>',
    description: 'drifted features allowed before failing: a count or a share like 10%',
    parse: maxDrifted,
    shownDefault: SETTING_DEFAULTS.maxDrifted,
  },
  format: {
    flag: '--format <format>',
    description: 'format of both files when their extensions do not say',
    parse: format,
  },
};

/** The long flag of `--time-column <col>`: `--time-column`. */
export function longFlag(flag: string): string {
  return /--[\w-]+/.exec(flag)![0];
}

/** Labels naming each setting by its flag, as the CLI and the library API say it. */
export function flagLabels<Settings extends object>(table: FlagTable<Settings>): SettingLabel {
  return (path) => {
    const [key, part] = path.split('.') as [string, string | undefined];
    const entry = (table as Record<string, AnyFlag | FlagGroup<Record<string, unknown>>>)[key];
    if (entry && 'parts' in entry) {
      const inner = part === undefined ? undefined : (entry.parts as Record<string, AnyFlag>)[part];
      return inner ? longFlag(inner.flag) : key;
    }
    return entry ? longFlag(entry.flag) : key;
  };
}
