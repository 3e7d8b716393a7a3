// `skewcheck check`: config → runChecks → summary table → exit code (0 pass, 1 fail, 2 error).
import type { Command } from 'commander';
import { runChecks } from '../check/index.js';
import { renderCheckTerminal } from '../check/render-terminal.js';
import { findConfig, loadConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import type { CliContext } from './main.js';
import { colorEnabled, writeJson } from './output.js';

interface CheckFlags {
  config?: string;
  changedSince?: string;
  updateBaseline?: boolean;
  reason?: string;
  expires?: string;
  json?: string;
  quiet?: boolean;
}

export function registerCheckCommand(program: Command, context: CliContext): void {
  program
    .command('check')
    .summary('run the feature sets and drift checks of the project config (the CI gate)')
    .description(
      'Run every feature set (replay) and drift check declared in skewcheck.yaml or\n' +
        'skewcheck.config.ts (found by walking up from the working directory), or the ones named.',
    )
    .argument('[checks...]', 'names of the checks to run (default: all)')
    .option(
      '-c, --config <file>',
      'the config file (default: skewcheck.config.ts or skewcheck.yaml, walking up)',
    )
    .option('--changed-since <git-ref>', 'run only the checks whose inputs changed since this ref')
    .option('--update-baseline', 'record the differences found now as accepted (skewcheck.baseline.json)')
    .option('--reason <text>', 'with --update-baseline: why these differences are accepted')
    .option(
      '--expires <YYYY-MM-DD>',
      'with --update-baseline: the day the accepted differences stop being accepted',
    )
    .option('--json <file|->', "write the JSON result to a file, or to stdout with '-'")
    .option('-q, --quiet', 'no table on stdout (exit code and files only)')
    .addHelpText(
      'after',
      `
Examples:
  $ skewcheck check
  $ skewcheck check fraud_5m --config samples/skewcheck.yaml
  $ skewcheck check --changed-since origin/main --json result.json
  $ skewcheck check fraud_skewed --update-baseline --reason "names vs ids, fixed in FEAT-123" --expires 2027-03-31`,
    )
    .action(async (names: string[], flags: CheckFlags) => {
      if (flags.expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.expires)) {
        throw new UsageError(`--expires must be a date like 2027-03-31, got "${flags.expires}"`);
      }
      if ((flags.reason || flags.expires) && !flags.updateBaseline) {
        throw new UsageError('--reason and --expires go with --update-baseline');
      }
      const path = flags.config ?? findConfig(process.cwd());
      if (!path) {
        throw new UsageError(
          `no skewcheck.yaml or skewcheck.config.ts in ${process.cwd()} or its parents; pass --config, or create one with skewcheck init`,
        );
      }
      const durations = new Map<string, number>();
      const result = await runChecks({
        config: await loadConfig(path),
        names,
        changedSince: flags.changedSince,
        updateBaseline: flags.updateBaseline,
        reason: flags.reason,
        expires: flags.expires,
        onCheckDone: (entry, ms) => durations.set(entry.name, ms),
      });
      if (flags.json) writeJson(context, result, flags.json);
      if (!flags.quiet) {
        const stream = flags.json === '-' ? context.stderr : context.stdout;
        stream.write(renderCheckTerminal(result, { color: colorEnabled(stream), durations }));
      }
      context.exitCode = result.verdict === 'pass' ? 0 : result.verdict === 'fail' ? 1 : 2;
    });
}
