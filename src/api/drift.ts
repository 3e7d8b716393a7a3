// `drift()`: the library form of `skewcheck drift`.
import { runDriftSettings } from '../check/replay-diagnosed.js';
import { driftFlags, flagLabels } from '../config/flags.js';
import { driftOptions } from '../config/resolve.js';
import { type DriftCheckConfig, driftCheckSchema } from '../config/schema.js';
import type { DriftResult } from '../drift/index.js';
import { abortable, type RunControls } from './controls.js';
import { resolveSettings } from './settings.js';

/** The settings of `skewcheck drift` (a `driftChecks` entry of the config), plus a signal. */
export type DriftOptions = DriftCheckConfig & Pick<RunControls, 'signal'>;

/**
 * Test a training and a production snapshot for drift, feature by feature (with `by`, each
 * chunk of production: per file, day, week or value of a column): the result
 * `skewcheck drift --json` writes. Paths are relative to the working directory. An abort is
 * noticed before and after the tests run.
 */
export async function drift(options: DriftOptions): Promise<DriftResult> {
  const { signal, ...settings } = options;
  return abortable(signal, async () =>
    runDriftSettings(resolveSettings(driftCheckSchema, settings, flagLabels(driftFlags), driftOptions)),
  );
}
