// The CLI entry: builds the commander program, runs one command, and maps its outcome to an
// exit code — 0 pass, 1 skew or drift found, 2 usage or input error (and bugs).
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { formatError } from '../error-text.js';
import { plainText } from '../report/index.js';
import { registerCheckCommand } from './check.js';
import type { CliContext } from './context.js';
import { registerDiffCommand } from './diff.js';
import { registerDriftCommand } from './drift.js';
import { guardProcess } from './exit-guard.js';
import { registerInitCommand } from './init.js';
import { registerMergeCommand } from './merge.js';
import { registerReplayCommand } from './replay.js';
import { registerReportCommand } from './report.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(context: CliContext): Command {
  const program = new Command('skewcheck')
    .description(
      'Catch training-serving skew: replay one event log through batch SQL and streaming feature ' +
        'implementations and diff them, diff precomputed outputs, test snapshots for drift, and gate CI on all of it.',
    )
    .version(version(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => context.stdout.write(s),
      // Arguments echoed in a usage error are the user's input: control characters shown, not obeyed.
      writeErr: (s) => context.stderr.write(plainText(s, true)),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 clean, 1 skew or drift found, 2 usage or input error.

Examples:
  $ skewcheck replay --events samples/fraud/events.parquet --batch samples/fraud/features.sql \\
      --stream samples/fraud/features.ts --key user_id
  $ skewcheck diff --left offline.parquet --right online.parquet --key user_id --json -
  $ skewcheck drift --train train.parquet --prod prod.parquet --exclude user_id,ts
  $ skewcheck init && skewcheck check`,
    );
  registerReplayCommand(program, context);
  registerDiffCommand(program, context);
  registerDriftCommand(program, context);
  registerMergeCommand(program, context);
  registerCheckCommand(program, context);
  registerInitCommand(program, context);
  registerReportCommand(program, context);
  return program;
}

export async function main(
  argv: string[],
  io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {},
): Promise<number> {
  const guard = io.stdout ? undefined : guardProcess(io.stderr ?? process.stderr);
  const context: CliContext = {
    exitCode: 0,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
  };
  const program = buildProgram(context);
  const code = await runProgram(program, context, argv);
  // Write errors on stdout are emitted asynchronously: let them arrive before the last word.
  if (guard) await new Promise((done) => setImmediate(done));
  guard?.settle();
  const failure = guard?.stdoutFailure();
  if (failure) {
    context.stderr.write(plainText(`skewcheck: ${failure}; the report on stdout is incomplete\n`, true));
    return 2;
  }
  return code;
}

async function runProgram(program: Command, context: CliContext, argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit with code 0; every other commander error is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    // Messages quote data (keys, values, column names, paths): a control character in them must
    // not move the cursor or draw a line of its own in a CI log.
    context.stderr.write(`${plainText(formatError(error), true)}\n`);
    return 2;
  }
}
