// `skewcheck check`: flags → check() → summary table → exit code (0 pass, 1 fail, 2 error).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkWithConfig } from '../api/index.js';
import type { CheckRunResult } from '../check/types.js';
import type { LoadedConfig } from '../config/index.js';
import { formatOfConfigKey, loadRenderers, REPORT_FORMATS, renderReport } from '../report/index.js';
import type { CliContext } from './context.js';
import { colorEnabled, writeJson } from './output.js';
import { parseReportTarget, type ReportTarget, reportsUseStdout, writeReports } from './report.js';

interface CheckFlags {
  report?: ReportTarget[];
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
      'Run every feature set (replay) and drift check declared in skewcheck.yaml or ' +
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
    .option(
      '--report <format=file>',
      `also write a report for all checks: ${REPORT_FORMATS.filter((f) => f !== 'terminal').join(', ')} (repeatable; adds to the config's reports)`,
      parseReportTarget,
    )
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
      const durations = new Map<string, number>();
      const { result, config: loaded } = await checkWithConfig({
        config: flags.config,
        names,
        changedSince: flags.changedSince,
        updateBaseline: flags.updateBaseline,
        reason: flags.reason,
        expires: flags.expires,
        onCheckDone: (entry, ms) => durations.set(entry.name, ms),
      });
      if (flags.json) writeJson(context, result, flags.json);
      await writeCheckReports(context, result, loaded, flags.report ?? [], durations);
      if (!flags.quiet) {
        const stream = flags.json === '-' ? context.stderr : context.stdout;
        const stream2 = reportsUseStdout(flags.report) ? context.stderr : stream;
        stream2.write(renderReport('terminal', result, { color: colorEnabled(stream2), durations }));
      }
      context.exitCode = result.verdict === 'pass' ? 0 : result.verdict === 'fail' ? 1 : 2;
    });
}

/**
 * The reports of the config (`reports:`, paths relative to the config) and of --report, for all
 * checks together (and the Markdown summary in $GITHUB_STEP_SUMMARY when it is set).
 */
async function writeCheckReports(
  context: CliContext,
  result: CheckRunResult,
  loaded: LoadedConfig,
  flags: ReportTarget[],
  durations: ReadonlyMap<string, number>,
): Promise<void> {
  const fromConfig = Object.entries(loaded.config.reports ?? {}).flatMap(([key, path]): ReportTarget[] => {
    const format = formatOfConfigKey(key);
    return format && typeof path === 'string' ? [{ format, path: resolve(loaded.dir, path) }] : [];
  });
  const targets = [...fromConfig, ...flags];
  await loadRenderers(targets.map((t) => t.format));
  writeReports(context, result, targets, { durations });
}
