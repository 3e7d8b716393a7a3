// `skewcheck check`: config → runChecks → summary table → exit code (0 pass, 1 fail, 2 error).
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runChecks } from '../check/index.js';
import { renderCheckTerminal } from '../check/render-terminal.js';
import { renderCheckHtml, renderCheckJunit, renderCheckMarkdown } from '../check/reports.js';
import type { CheckRunResult } from '../check/types.js';
import { findConfig, type LoadedConfig, loadConfig } from '../config/index.js';
import { InputError, messageOf, UsageError } from '../errors.js';
import { writeAtomically } from '../io/index.js';
import { loadRenderers } from '../report/index.js';
import { resultJson } from '../report/json.js';
import type { CliContext } from './main.js';
import { colorEnabled, writeJson } from './output.js';
import { parseReportTarget, type ReportTarget, reportsUseStdout } from './report.js';

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
      "also write a report for all checks: md, junit, html or json (repeatable; adds to the config's reports)",
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
      const loaded = await loadConfig(path);
      const result = await runChecks({
        config: loaded,
        names,
        changedSince: flags.changedSince,
        updateBaseline: flags.updateBaseline,
        reason: flags.reason,
        expires: flags.expires,
        onCheckDone: (entry, ms) => durations.set(entry.name, ms),
      });
      if (flags.json) writeJson(context, result, flags.json);
      await writeCheckReports(context, result, loaded, flags.report ?? []);
      if (!flags.quiet) {
        const stream = flags.json === '-' ? context.stderr : context.stdout;
        const stream2 = reportsUseStdout(flags.report) ? context.stderr : stream;
        stream2.write(renderCheckTerminal(result, { color: colorEnabled(stream2), durations }));
      }
      context.exitCode = result.verdict === 'pass' ? 0 : result.verdict === 'fail' ? 1 : 2;
    });
}

const CHECK_RENDERERS: Record<string, (result: CheckRunResult) => string> = {
  md: (r) => renderCheckMarkdown(r),
  junit: renderCheckJunit,
  html: renderCheckHtml,
  json: resultJson,
};

/**
 * The reports of the config (`reports: { markdown, junit, html }`, relative to the config) and of
 * --report, for all checks together; the Markdown summary is also appended to
 * $GITHUB_STEP_SUMMARY when it is set.
 */
async function writeCheckReports(
  context: CliContext,
  result: CheckRunResult,
  loaded: LoadedConfig,
  flags: ReportTarget[],
): Promise<void> {
  const fromConfig: ReportTarget[] = Object.entries(loaded.config.reports ?? {}).map(([kind, path]) => ({
    format: kind === 'markdown' ? 'md' : (kind as ReportTarget['format']),
    path: resolve(loaded.dir, path as string),
  }));
  const targets = [...fromConfig, ...flags];
  const unsupported = targets.find((t) => !CHECK_RENDERERS[t.format]);
  if (unsupported)
    throw new UsageError(`check writes md, junit, html or json reports, not ${unsupported.format}`);
  await loadRenderers(targets.map((t) => t.format));
  for (const target of targets) {
    const text = CHECK_RENDERERS[target.format]!(result);
    if (target.path === '-') context.stdout.write(text);
    else writeAtomically(target.path, text);
  }
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    try {
      appendFileSync(summary, `${renderCheckMarkdown(result)}\n`);
    } catch (error) {
      throw new InputError(`cannot append to GITHUB_STEP_SUMMARY ${summary}: ${messageOf(error)}`, {
        file: summary,
      });
    }
  }
}
