// `skewcheck drift`: flags → runDrift → report → exit code.
import type { Command } from 'commander';
import {
  CORRECTIONS,
  DRIFT_DEFAULTS,
  parseCorrection,
  parseMaxDrifted,
  runDrift,
  runDriftOverTime,
} from '../drift/index.js';
import { UsageError } from '../errors.js';
import { parseFormat } from '../io/index.js';
import type { CliContext } from './main.js';
import { finishRun } from './render-diff.js';
import { addReportOption, type ReportTarget } from './report.js';

interface DriftFlags {
  train: string;
  prod: string;
  features?: string;
  exclude?: string;
  categorical?: string;
  alpha: string;
  correction: string;
  minEffect: string;
  minNullChange: string;
  maxDrifted: string;
  json?: string;
  format?: string;
  quiet?: boolean;
  report?: ReportTarget[];
  by?: string;
  time?: string;
}

function nameList(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0) throw new UsageError(`${flag} needs at least one column name`);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new UsageError(`${flag} names "${duplicate}" twice`);
  return names;
}

function number(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`${flag} must be a number, got "${value}"`);
  return n;
}

export function registerDriftCommand(program: Command, context: CliContext): void {
  const command = program
    .command('drift')
    .summary('test training and production feature snapshots for drift')
    .description(
      'Compare the distribution of every feature between a training and a production snapshot: ' +
        'two-sample Kolmogorov–Smirnov for numeric features, chi-square for categorical ones, a ' +
        'z-test on null rates, with a multiple-testing correction and an effect-size floor.',
    )
    .requiredOption('--train <file>', 'training snapshot (.parquet, .csv, .json, .ndjson, .arrow)')
    .requiredOption('--prod <file>', 'production snapshot (a file, a glob, or a hive-partitioned folder)')
    .option(
      '--by <file|day|week|column>',
      'drift over time: test each chunk of production (per file, day or week of --time, or value of a column) against training',
    )
    .option(
      '--time <column>',
      'time column of --by day|week (default: the only date/time column of production)',
    )
    .option('--features <a,b>', 'only these feature columns (default: every column in either snapshot)')
    .option('--exclude <a,b>', 'leave these columns out, e.g. identifiers and timestamps')
    .option('--categorical <a,b>', 'compare these (numeric) columns as categories')
    .option('--alpha <x>', 'significance level for the corrected p-values', String(DRIFT_DEFAULTS.alpha))
    .option(
      '--correction <method>',
      `multiple-testing correction: ${CORRECTIONS.join('|')}`,
      DRIFT_DEFAULTS.correction,
    )
    .option(
      '--min-effect <x>',
      'smallest effect that counts as drift: KS D, or the total variation between category shares',
      String(DRIFT_DEFAULTS.minEffect),
    )
    .option(
      '--min-null-change <x>',
      'smallest absolute change in the null rate that counts as drift',
      String(DRIFT_DEFAULTS.minNullChange),
    )
    .option(
      '--max-drifted <n|p%>',
      'drifted features allowed before failing: a count or a share like 10%',
      '0',
    )
    .option('--json <file|->', "write the JSON result to a file, or to stdout with '-'")
    .option('--format <format>', 'format of both files when their extensions do not say')
    .option('-q, --quiet', 'no report on stdout (exit code and --json only)')
    .addHelpText(
      'after',
      `
Exit codes: 0 no drift beyond the gate, 1 drift (or a feature missing/typed differently), 2 usage or input error.

Examples:
  $ skewcheck drift --train train.parquet --prod prod.parquet --exclude user_id,snapshot_ts
  $ skewcheck drift --train a.csv --prod b.csv --categorical plan --max-drifted 10% --json drift.json
  $ skewcheck drift --train train.parquet --prod prod/ --by day --time event_date --report html=drift.html`,
    )
    .action(async (flags: DriftFlags) => {
      if (flags.time !== undefined && flags.by === undefined)
        throw new UsageError('--time chooses the time column of --by day|week; pass --by too');
      const options = {
        trainPath: flags.train,
        prodPath: flags.prod,
        format: parseFormat(flags.format),
        features: nameList(flags.features, '--features'),
        exclude: nameList(flags.exclude, '--exclude'),
        categorical: nameList(flags.categorical, '--categorical'),
        alpha: number(flags.alpha, '--alpha'),
        correction: parseCorrection(flags.correction),
        minEffect: number(flags.minEffect, '--min-effect'),
        minNullChange: number(flags.minNullChange, '--min-null-change'),
        maxDrifted: parseMaxDrifted(flags.maxDrifted),
      };
      const result =
        flags.by === undefined
          ? await runDrift(options)
          : await runDriftOverTime({ ...options, by: flags.by, time: flags.time });
      finishRun(context, result, flags);
    });
  addReportOption(command);
}
