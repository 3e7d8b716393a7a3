// The project config (skewcheck.yaml or skewcheck.config.ts): named feature sets to replay and
// drift checks to run, validated with zod. Unknown keys are errors, so a typo never silently
// disables a setting.
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

const tolerance = z.strictObject({
  abs: z.number().nonnegative().optional(),
  rel: z.number().nonnegative().optional(),
});

export const featureSetSchema = z.strictObject({
  /** Event log: Parquet file, glob or hive folder, CSV, JSON/NDJSON or Arrow. */
  events: z.string(),
  /** Batch SQL file (DuckDB over the view `events`). */
  batch: z.string(),
  /** Streaming module (.ts or .js). */
  stream: z.string(),
  /** Entity key column(s). */
  key: columns,
  timeColumn: z.string().optional(),
  format: z.enum(['parquet', 'csv', 'json', 'ndjson', 'arrow']).optional(),
  arrivalColumn: z.string().optional(),
  simulateDelay: z.string().optional(),
  maxOutOfOrderness: duration.optional(),
  allowedLateness: duration.optional(),
  tolerance: tolerance.optional(),
  /** Per-feature tolerances: { total_spent_5m: { abs: 0.01 } }. */
  tolerances: z.record(z.string(), tolerance).optional(),
  maxMismatchRate: z.number().min(0).max(1).optional(),
  /** Let the batch SQL read files and reach the network (off by default: it sees only `events`). */
  allowExternalAccess: z.boolean().optional(),
});

export const driftCheckSchema = z.strictObject({
  /** Training snapshot (globs allowed). */
  train: z.string(),
  /** Production snapshot (globs allowed). */
  prod: z.string(),
  format: z.enum(['parquet', 'csv', 'json', 'ndjson', 'arrow']).optional(),
  features: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
  categorical: z.array(z.string()).optional(),
  alpha: z.number().gt(0).lt(1).optional(),
  correction: z.enum(['bh', 'bonferroni', 'none']).optional(),
  minEffect: z.number().min(0).max(1).optional(),
  /** How many drifted features the gate accepts: a count, or a share such as "10%". */
  maxDrifted: z
    .union([
      z.number().int().nonnegative(),
      z.string().regex(/^\d+(\.\d+)?%$/, 'a count or a share like "10%"'),
    ])
    .optional(),
});

export const configSchema = z.strictObject({
  featureSets: z.record(name, featureSetSchema).optional(),
  driftChecks: z.record(name, driftCheckSchema).optional(),
  /** Reports written for all checks together by `skewcheck check`: a file per format. */
  reports: reportsSchema.optional(),
  /** Accepted known differences; default skewcheck.baseline.json beside the config. */
  baseline: z.string().optional(),
});

export type FeatureSetConfig = z.infer<typeof featureSetSchema>;
export type DriftCheckConfig = z.infer<typeof driftCheckSchema>;
export type SkewcheckConfig = z.infer<typeof configSchema>;

/** Typed helper for skewcheck.config.ts; returns its argument unchanged. */
export function defineConfig(config: SkewcheckConfig): SkewcheckConfig {
  return config;
}
