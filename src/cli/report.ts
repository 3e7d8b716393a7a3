// `skewcheck report`: re-render a saved result in another format; and the `--report` option of
// replay, diff and drift (extra report files, plus the CI job summary when
// GITHUB_STEP_SUMMARY is set).
import { appendFileSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, messageOf, UsageError } from '../errors.js';
import { protectInput, writeAtomically } from '../io/index.js';
import {
  formatForPath,
  loadRenderers,
  REPORT_FORMATS,
  type RenderOptions,
  type ReportFormat,
  type ReportResult,
  readResult,
  renderReport,
  reportFormat,
} from '../report/index.js';
import type { CliContext } from './context.js';
import { colorEnabled } from './output.js';

export interface ReportTarget {
  format: ReportFormat;
  /** A file path, or '-' for stdout. */
  path: string;
}

/** Parse one `--report format=file` (or `--report file.ext`) and add it to the list. */
export function parseReportTarget(spec: string, previous: ReportTarget[] = []): ReportTarget[] {
  const eq = spec.indexOf('=');
  let target: ReportTarget;
  if (eq > 0) {
    target = { format: reportFormat(spec.slice(0, eq)), path: spec.slice(eq + 1) };
  } else {
    const format = formatForPath(spec);
    if (!format) {
      throw new UsageError(
        `--report ${spec}: say which format, e.g. --report md=${spec} (formats: ${REPORT_FORMATS.join(', ')})`,
      );
    }
    target = { format, path: spec };
  }
  if (target.path === '') throw new UsageError(`--report ${spec}: the file name is missing`);
  if (previous.some((t) => t.path === target.path && t.path !== '-')) {
    throw new UsageError(`--report names ${target.path} twice`);
  }
  if (target.path === '-' && previous.some((t) => t.path === '-')) {
    throw new UsageError('only one --report can go to stdout (-)');
  }
  return [...previous, target];
}

export function addReportOption(command: Command): Command {
  return command
    .option(
      '--report <format=file>',
      `also write a report: ${REPORT_FORMATS.filter((f) => f !== 'terminal').join(', ')} (repeatable, e.g. --report md=summary.md --report html=report.html; '-' for stdout)`,
      parseReportTarget,
    )
    .hook('preAction', async (thisCommand) => {
      const flags = thisCommand.opts() as { report?: ReportTarget[]; json?: string };
      if (flags.json === '-' && reportsUseStdout(flags.report)) {
        throw new UsageError('--json - and --report …=- both want stdout; send one of them to a file');
      }
      await loadRenderers((flags.report ?? []).map((t) => t.format));
    });
}

/** Whether any report target writes to stdout (then the terminal report goes to stderr). */
export function reportsUseStdout(targets: ReportTarget[] | undefined): boolean {
  return (targets ?? []).some((t) => t.path === '-');
}

/**
 * Write the `--report` files, and append the Markdown summary to $GITHUB_STEP_SUMMARY when it
 * is set (GitHub Actions shows that file on the run's page). `options` adds to what every report
 * gets: the run's end time and the process's wall time so far (the prom format's run metrics).
 */
export function writeReports(
  context: CliContext,
  result: ReportResult,
  targets: ReportTarget[] = [],
  options: RenderOptions = {},
): void {
  const run = { finishedAt: Date.now() / 1000, durationSeconds: Math.round(performance.now()) / 1000 };
  for (const target of targets) {
    const text = renderReport(target.format, result, { color: false, run, ...options });
    if (target.path === '-') context.stdout.write(text);
    else writeAtomically(target.path, text);
  }
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    try {
      appendFileSync(summary, `${renderReport('md', result)}\n`);
    } catch (error) {
      throw new InputError(`cannot append to GITHUB_STEP_SUMMARY ${summary}: ${messageOf(error)}`, {
        file: summary,
      });
    }
  }
}

function readResultFile(file: string): ReportResult {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
    if (file !== '-') protectInput(file, `result ${file}`);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${messageOf(error)}`, { file });
  }
  return readResult(text, file === '-' ? 'stdin' : file);
}

interface ReportFlags {
  format?: string;
  output: string;
}

export function registerReportCommand(program: Command, context: CliContext): void {
  program
    .command('report')
    .summary(
      're-render a saved JSON result as terminal text, Markdown, JUnit XML, HTML, JSON or Prometheus metrics',
    )
    .description(
      'Render a result saved with --json (by replay, diff or drift) in another format: the one ' +
        '--format names, else the one the extension of --output implies, else terminal text.',
    )
    .argument('<result.json>', "a result written by --json ('-' for stdin)")
    .option('--format <format>', `${REPORT_FORMATS.join(', ')} (md also: markdown; junit also: xml)`)
    .option('-o, --output <file>', "where to write the report ('-' for stdout)", '-')
    .addHelpText(
      'after',
      `
Examples:
  $ skewcheck report result.json --format html -o report.html
  $ skewcheck report result.json -o summary.md
  $ skewcheck report result.json --format junit > junit.xml`,
    )
    .action(async (file: string, flags: ReportFlags) => {
      const format = flags.format
        ? reportFormat(flags.format)
        : flags.output !== '-'
          ? (formatForPath(flags.output) ?? 'terminal')
          : 'terminal';
      await loadRenderers([format]);
      const result = readResultFile(file);
      const toStdout = flags.output === '-';
      const text = renderReport(format, result, { color: toStdout && colorEnabled(context.stdout) });
      if (toStdout) context.stdout.write(text);
      else writeAtomically(flags.output, text);
      context.exitCode = 0;
    });
}
