// `check()`: the library form of `skewcheck check` — the feature sets and drift checks of the
// project config.
import { isCalendarDate } from '../check/baseline.js';
import { type CheckEntry, type CheckRunResult, runChecks } from '../check/index.js';
import { findConfig, type LoadedConfig, loadConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { protectInput } from '../io/index.js';

export interface CheckOptions {
  /** The config file (default: skewcheck.config.ts or skewcheck.yaml, walking up from the working directory). */
  config?: string;
  /** Run only the checks with these names (default: all). */
  names?: string[];
  /** Run only the checks whose inputs changed since this git ref. */
  changedSince?: string;
  /** Record the differences found now as accepted in the baseline file. */
  updateBaseline?: boolean;
  /** With `updateBaseline`: why these differences are accepted. */
  reason?: string;
  /** With `updateBaseline`: the day (YYYY-MM-DD) the accepted differences stop being accepted. */
  expires?: string;
  /** Cancels the run: no further check starts, and a running replay stops at its next batch. */
  signal?: AbortSignal;
  /** Called as each check finishes, with its wall time. */
  onCheckDone?: (entry: CheckEntry, milliseconds: number) => void;
}

/** The run with the config it read (the CLI writes the config's reports beside it). */
export async function checkWithConfig(
  options: CheckOptions,
): Promise<{ result: CheckRunResult; config: LoadedConfig }> {
  if (options.expires !== undefined && !isCalendarDate(options.expires)) {
    throw new UsageError(`--expires must be a real date like 2027-03-31, got "${options.expires}"`);
  }
  if ((options.reason || options.expires) && !options.updateBaseline) {
    throw new UsageError('--reason and --expires go with --update-baseline');
  }
  options.signal?.throwIfAborted();
  const path = options.config ?? findConfig(process.cwd());
  if (!path) {
    throw new UsageError(
      `no skewcheck.yaml or skewcheck.config.ts in ${process.cwd()} or its parents; pass --config, or create one with skewcheck init`,
    );
  }
  const config = await loadConfig(path);
  protectInput(config.path, `config ${path}`);
  const { config: _path, ...rest } = options;
  const result = await runChecks({ ...rest, config });
  options.signal?.throwIfAborted();
  return { result, config };
}

/**
 * Run the feature sets and drift checks of the project config, or the ones named: the result
 * `skewcheck check --json` writes. Reports named in the config are not written; render them
 * with `render(result, format)`.
 */
export async function check(options: CheckOptions = {}): Promise<CheckRunResult> {
  return (await checkWithConfig(options)).result;
}
