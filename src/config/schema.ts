// The settings of each command, as one zod schema per command: the project config
// (skewcheck.yaml or skewcheck.config.ts) validates its entries with them, the library API takes
// them as its options, and the command line's flags are a typed table over them
// (src/cli/flags.ts), so a setting cannot exist in one place and be missing in another.
// Unknown keys are errors, so a typo never silently disables a setting.
import { z } from 'zod';
import { REPORT_CONFIG_KEYS, type ReportConfigKey } from '../report/formats.js';

/** One optional file per report format, keyed as formats.ts says (md is `markdown`). */
const reportsSchema = z.strictObject(
  Object.fromEntries(REPORT_CONFIG_KEYS.map((key) => [key, z.string().optional()])) as {
    [K in ReportConfigKey]: z.ZodOptional<z.ZodString>;
  },
);

const name = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'check names use letters, digits, _ . -');
const duration = z.union([z.string(), z.number().nonnegative()]);
const columns = z.union([z.string(), z.array(z.string()).min(1)]);
const format = z.enum(['parquet', 'csv', 'json', 'ndjson', 'arrow']);
/** Shard i of N of the keys, 0-based (`0/4` … `3/4`); checked by src/shard's parser. */
const shard = z.string();

const tolerance = z.strictObject({
  /** Absolute tolerance: values within this distance match (default 1e-9). */
  abs: z.number().nonnegative().optional(),
  /** Relative tolerance, as a share of the larger magnitude (default 1e-9). */
  rel: z.number().nonnegative().optional(),
});

/** How `replay` and `diff` compare their two outputs, and what the result keeps. */
const comparison = {
  /** Entity key column(s): a name, a comma-separated list, or an array of names. */
  key: columns,
  /** Format of the input file(s) when their extensions do not say. */
  format: format.optional(),
  /** Tolerance for every numeric feature; a part not given keeps its default (1e-9). */
  tolerance: tolerance.optional(),
  /** Per-feature tolerances, e.g. `{ total_spent_5m: { abs: 0.01 } }`; parts not given keep `tolerance`. */
  tolerances: z.record(z.string(), tolerance).optional(),
  /** Share of differing (key, window) rows accepted before the verdict is fail, 0..1 (default 0). */
  maxMismatchRate: z.number().min(0).max(1).optional(),
  /** How many differing rows the result lists as examples (default 20). */
  sample: z.number().int().nonnegative().optional(),
  /** Write every differing row to this .parquet, .csv or .json file. */
  mismatches: z.string().optional(),
};

/** `replay`: one event log through batch SQL and a streaming module, then a diff. */
export const featureSetSchema = z.strictObject({
  /** Event log: Parquet file, glob or hive folder, CSV, JSON/NDJSON or Arrow. */
  events: z.string(),
  /** Batch SQL file, run by DuckDB over a view named `events`; its last statement returns the features. */
  batch: z.string(),
  /** Streaming module (.ts or .js) whose default export defines the features. */
  stream: z.string(),
  ...comparison,
  /** Event-time column of the log (default `ts`). */
  timeColumn: z.string().optional(),
  /** Replay in arrival order by this ingestion-time column, with a watermark. */
  arrivalColumn: z.string().optional(),
  /** Replay in a simulated arrival order: `rate=0.01,max=4h[,seed=42]`. */
  simulateDelay: z.string().optional(),
  /** Arrival order: the watermark trails the largest event time seen by this much (default 0s). */
  maxOutOfOrderness: duration.optional(),
  /** Arrival order: a window still takes events this long after it fires (default 0s). */
  allowedLateness: duration.optional(),
  /** Column identifying an event, to diagnose duplicated events (default: detected). */
  eventId: z.string().optional(),
  /** Let the batch SQL read files and reach the network (off by default: it sees only `events`). */
  allowExternalAccess: z.boolean().optional(),
  /** Differing rows whose window is bisected to its first divergent event (default 50; 0: off). */
  bisectSample: z.number().int().nonnegative().optional(),
  /** Longest one call into the streaming module may run (`add`, `emit`, …), e.g. '1m' (default 1m). */
  timeout: duration.optional(),
  /** Heap ceiling of each replay worker, in MiB (default 4096). */
  memoryLimit: z.number().int().positive().optional(),
  /** Worker threads for a keyed feature replayed in event-time order (default: 1 below 5M events, else CPU cores - 1, at least 1). */
  workers: z.number().int().positive().optional(),
});

/**
 * `skewcheck replay` (and the library's `replay()`): a feature set's settings, plus the shard of
 * the keys to replay. Not a config key: `check` judges whole feature sets.
 */
export const replaySchema = featureSetSchema.extend({
  /** Replay only the keys of shard i of N (`2/8`); `skewcheck merge` combines the shard results. */
  shard: shard.optional(),
});

/** `diff`: two precomputed feature outputs, aligned per key and window. */
export const diffSchema = z.strictObject({
  /** First output, e.g. the batch/offline one (.parquet, .csv, .json, .ndjson, .arrow). */
  left: z.string(),
  /** Second output, e.g. the stream/online one. */
  right: z.string(),
  ...comparison,
  /** Window column(s) to align on (default: window_start, plus window_end when both sides have it). */
  time: columns.optional(),
  /** Diff only the keys of shard i of N (`2/8`); `skewcheck merge` combines the shard results. */
  shard: shard.optional(),
});

/** `drift`: a training and a production snapshot, tested feature by feature. */
export const driftCheckSchema = z.strictObject({
  /** Training snapshot (globs allowed). */
  train: z.string(),
  /** Production snapshot: a file, a glob, or a hive-partitioned folder. */
  prod: z.string(),
  /** Drift over time: test each chunk of production — per `file`, `day` or `week` of `time`, or value of a column — against training. */
  by: z.string().optional(),
  /** Time column of `by: day | week` (default: the only date/time column of production). */
  time: z.string().optional(),
  /** Format of both snapshots when their extensions do not say. */
  format: format.optional(),
  /** Only these feature columns (default: every column in either snapshot). */
  features: columns.optional(),
  /** Leave these columns out, e.g. identifiers and timestamps. */
  exclude: columns.optional(),
  /** Compare these (numeric) columns as categories. */
  categorical: columns.optional(),
  /** Significance level for the corrected p-values (default 0.05). */
  alpha: z.number().gt(0).lt(1).optional(),
  /** Multiple-testing correction (default `bh`, Benjamini–Hochberg). */
  correction: z.enum(['bh', 'bonferroni', 'none']).optional(),
  /** Smallest effect that counts as drift: KS D, or the total variation between category shares (default 0.1). */
  minEffect: z.number().min(0).max(1).optional(),
  /** Smallest absolute change in the null rate that counts as drift (default 0.05). */
  minNullChange: z.number().min(0).max(1).optional(),
  /** How many drifted features the gate accepts: a count, or a share such as "10%" (default 0). */
  maxDrifted: z
    .union([
      z.number().int().nonnegative(),
      z.string().regex(/^\d+(\.\d+)?%$/, 'a count or a share like "10%"'),
    ])
    .optional(),
});

export const configSchema = z.strictObject({
  /** Feature sets that `skewcheck check` replays, by name. */
  featureSets: z.record(name, featureSetSchema).optional(),
  /** Drift checks that `skewcheck check` runs, by name. */
  driftChecks: z.record(name, driftCheckSchema).optional(),
  /** Reports written for all checks together by `skewcheck check`: a file per format. */
  reports: reportsSchema.optional(),
  /** Accepted known differences; default skewcheck.baseline.json beside the config. */
  baseline: z.string().optional(),
  /** Let paths in this config leave its folder (off by default: a path outside it is refused). */
  allowPathsOutside: z.boolean().optional(),
});

export type FeatureSetConfig = z.infer<typeof featureSetSchema>;
export type ReplayConfig = z.infer<typeof replaySchema>;
export type DiffConfig = z.infer<typeof diffSchema>;
export type DriftCheckConfig = z.infer<typeof driftCheckSchema>;
export type SkewcheckConfig = z.infer<typeof configSchema>;

/** Typed helper for skewcheck.config.ts; returns its argument unchanged. */
export function defineConfig(config: SkewcheckConfig): SkewcheckConfig {
  return config;
}
