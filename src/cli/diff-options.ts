// Flags shared by `replay` and `diff`: tolerances, gate, sample size, outputs.
import type { Command } from 'commander';
import {
  DEFAULT_TOLERANCE,
  parseFeatureTolerance,
  parseToleranceValue,
  type Tolerance,
} from '../diff/index.js';
import { UsageError } from '../errors.js';
import { addReportOption, type ReportTarget } from './report.js';

export interface DiffFlags {
  absTol?: string;
  relTol?: string;
  tol?: string[];
  maxMismatchRate?: string;
  sample?: string;
  json?: string;
  mismatches?: string;
  report?: ReportTarget[];
  quiet?: boolean;
}

export interface DiffSettings {
  tolerance: Tolerance;
  featureTolerances: Record<string, Tolerance>;
  maxMismatchRate: number;
  sampleSize: number;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addDiffOptions(command: Command): Command {
  command
    .option('--abs-tol <x>', `absolute tolerance for numeric features (default ${DEFAULT_TOLERANCE.abs})`)
    .option('--rel-tol <x>', `relative tolerance for numeric features (default ${DEFAULT_TOLERANCE.rel})`)
    .option('--tol <feature=abs:x,rel:y>', 'per-feature tolerance override (repeatable)', collect)
    .option(
      '--max-mismatch-rate <rate>',
      'accept up to this share of differing (key, window) rows, 0..1',
      '0',
    )
    .option('--sample <n>', 'differing rows to include in the result', '20')
    .option('--json <file|->', "write the JSON result to a file, or to stdout with '-'")
    .option('--mismatches <file>', 'write every differing row to a .parquet, .csv or .json file');
  return addReportOption(command).option(
    '-q, --quiet',
    'no progress bar and no report on stdout (exit code and files only)',
  );
}

export function parseKeyList(value: string | undefined, flag: string): string[] {
  const keys = (value ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (keys.length === 0) throw new UsageError(`${flag} needs at least one column name`);
  const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
  if (duplicate) throw new UsageError(`${flag} names "${duplicate}" twice`);
  return keys;
}

export function diffSettingsFrom(flags: DiffFlags): DiffSettings {
  const tolerance: Tolerance = {
    abs: flags.absTol !== undefined ? parseToleranceValue(flags.absTol, '--abs-tol') : DEFAULT_TOLERANCE.abs,
    rel: flags.relTol !== undefined ? parseToleranceValue(flags.relTol, '--rel-tol') : DEFAULT_TOLERANCE.rel,
  };
  const featureTolerances: Record<string, Tolerance> = {};
  for (const spec of flags.tol ?? []) {
    const [feature, t] = parseFeatureTolerance(spec, tolerance);
    featureTolerances[feature] = t;
  }
  const rate = Number(flags.maxMismatchRate ?? '0');
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new UsageError(`--max-mismatch-rate must be a number from 0 to 1, got "${flags.maxMismatchRate}"`);
  }
  const sampleSize = Number(flags.sample ?? '20');
  if (!Number.isInteger(sampleSize) || sampleSize < 0) {
    throw new UsageError(`--sample must be a whole number, got "${flags.sample}"`);
  }
  return { tolerance, featureTolerances, maxMismatchRate: rate, sampleSize };
}
