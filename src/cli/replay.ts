// `skewcheck replay`: flags → runReplay → report → exit code.
import type { Command } from 'commander';
import { DEFAULT_BISECT_SAMPLE, diagnoser, firstDivergenceProbe } from '../diagnose/index.js';
import { UsageError } from '../errors.js';
import { parseFormat } from '../io/index.js';
import { parseDuration, parseSimulatedDelay, runReplay } from '../replay/index.js';
import { addDiffOptions, type DiffFlags, diffSettingsFrom, parseKeyList } from './diff-options.js';
import type { CliContext } from './main.js';
import { createProgress, createStatus } from './progress.js';
import { finishRun } from './render-diff.js';

interface ReplayFlags extends DiffFlags {
  events: string;
  batch: string;
  stream: string;
  key: string;
  timeColumn: string;
  format?: string;
  arrivalColumn?: string;
  simulateDelay?: string;
  maxOutOfOrderness?: string;
  allowedLateness?: string;
  eventId?: string;
  bisectSample: string;
  allowExternalAccess?: boolean;
}

function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDuration(value);
  } catch {
    throw new UsageError(`${flag} must be a duration such as 30s, 5m or 1h, got "${value}"`);
  }
}

export function registerReplayCommand(program: Command, context: CliContext): void {
  const command = program
    .command('replay')
    .summary('replay one event log through batch SQL and a streaming module, and diff the outputs')
    .description(
      'Replay one event log through two implementations of a feature set — a batch SQL file run by ' +
        'DuckDB over a view named `events`, and a streaming TypeScript/JavaScript module that sees the ' +
        'events one at a time in event-time order — then diff both outputs per key and window.',
    )
    .requiredOption(
      '--events <log>',
      'event log: .parquet (file, glob or hive folder), .csv, .json, .ndjson, .arrow',
    )
    .requiredOption('--batch <features.sql>', 'DuckDB SQL; the last statement returns the batch features')
    .requiredOption(
      '--stream <features.ts>',
      'streaming module (.ts or .js) whose default export defines the features',
    )
    .requiredOption('--key <col[,col]>', 'entity key column(s)')
    .option('--time-column <col>', 'event-time column of the log', 'ts')
    .option('--format <format>', 'format of the event log when its extension does not say')
    .option(
      '--arrival-column <col>',
      'replay in arrival order by this ingestion-time column, with a watermark',
    )
    .option('--simulate-delay <spec>', 'replay in a simulated arrival order: rate=0.01,max=4h[,seed=42]')
    .option(
      '--max-out-of-orderness <duration>',
      'arrival order: watermark = largest event time seen − this',
      '0s',
    )
    .option(
      '--allowed-lateness <duration>',
      'arrival order: a window still takes events this long after it fires',
      '0s',
    )
    .option(
      '--event-id <col>',
      'column identifying an event, to diagnose duplicated events (default: detected)',
    )
    .option(
      '--bisect-sample <n>',
      'differing rows whose window is bisected to its first divergent event (0: off)',
      String(DEFAULT_BISECT_SAMPLE),
    )
    .option(
      '--allow-external-access',
      'let the batch SQL read files and reach the network (by default it sees only `events`)',
    );
  addDiffOptions(command).addHelpText(
    'after',
    `
Examples:
  $ skewcheck replay --events samples/fraud/events.parquet --batch samples/fraud/features.sql \\
      --stream samples/fraud/features.ts --key user_id
  $ skewcheck replay --events 'logs/date=*/*.parquet' --batch f.sql --stream f.ts --key user_id \\
      --tol total_spent_5m=abs:0.01 --json result.json --mismatches mismatches.parquet
  $ skewcheck replay … --arrival-column ingest_ts --max-out-of-orderness 30s --allowed-lateness 1m
  $ skewcheck replay … --simulate-delay rate=0.01,max=4h --max-out-of-orderness 5m`,
  );
  command.action(async (flags: ReplayFlags) => {
    const settings = diffSettingsFrom(flags);
    if (flags.arrivalColumn && flags.simulateDelay) {
      throw new UsageError('use either --arrival-column or --simulate-delay, not both');
    }
    const arrival = Boolean(flags.arrivalColumn || flags.simulateDelay);
    const maxOutOfOrdernessMs = durationFlag(flags.maxOutOfOrderness, '--max-out-of-orderness');
    const allowedLatenessMs = durationFlag(flags.allowedLateness, '--allowed-lateness');
    if (!arrival && ((maxOutOfOrdernessMs ?? 0) > 0 || (allowedLatenessMs ?? 0) > 0)) {
      throw new UsageError(
        '--max-out-of-orderness and --allowed-lateness apply to arrival-order replay (--arrival-column or --simulate-delay); in event-time order no event is late',
      );
    }
    const bisectSample = Number(flags.bisectSample);
    if (!Number.isSafeInteger(bisectSample) || bisectSample < 0) {
      throw new UsageError(`--bisect-sample must be a whole number ≥ 0, got "${flags.bisectSample}"`);
    }
    const firstDivergence = firstDivergenceProbe({
      sampleSize: bisectSample,
      tolerance: settings.tolerance,
      featureTolerances: settings.featureTolerances,
    });
    const progress = createProgress(context.stderr, flags.quiet);
    const status = createStatus(context.stderr, flags.quiet);
    const onProgress = (check: string, done: number, total: number) => {
      progress.stop();
      status.say(`diagnosing why rows differ: ${check} (${done + 1}/${total})`);
    };
    try {
      const result = await runReplay({
        eventsPath: flags.events,
        format: parseFormat(flags.format),
        batchSqlPath: flags.batch,
        streamModulePath: flags.stream,
        keyColumns: parseKeyList(flags.key, '--key'),
        timeColumn: flags.timeColumn,
        ...settings,
        mismatchesPath: flags.mismatches,
        arrivalColumn: flags.arrivalColumn,
        simulateDelay:
          flags.simulateDelay === undefined ? undefined : parseSimulatedDelay(flags.simulateDelay),
        maxOutOfOrdernessMs,
        allowedLatenessMs,
        eventIdColumn: flags.eventId,
        allowExternalAccess: flags.allowExternalAccess,
        onProgress: (done, total) => progress.update(done, total),
        inspect: (log) => firstDivergence.wrap(diagnoser({ log, onProgress }), log),
      });
      progress.stop();
      status.stop();
      finishRun(context, firstDivergence.attach(result), flags);
    } finally {
      progress.stop();
      status.stop();
    }
  });
}
