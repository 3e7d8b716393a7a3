// `diff()`: the library form of `skewcheck diff`.
import { diffFlags, flagLabels } from '../config/flags.js';
import { diffOptions } from '../config/resolve.js';
import { type DiffConfig, diffSchema } from '../config/schema.js';
import { diagnoser } from '../diagnose/index.js';
import { type DiffResult, diffFiles } from '../diff/index.js';
import { abortable, type RunControls } from './controls.js';
import { resolveSettings } from './settings.js';

/** The settings of `skewcheck diff`, plus a signal to cancel it. */
export type DiffOptions = DiffConfig & Pick<RunControls, 'signal' | 'onDiagnosis'>;

/**
 * Diff two precomputed feature outputs per key and window, with the diagnosis: the result
 * `skewcheck diff --json` writes. Paths are relative to the working directory.
 */
export async function diff(options: DiffOptions): Promise<DiffResult> {
  const { signal, onDiagnosis, ...settings } = options;
  return abortable(signal, async () => {
    const resolved = resolveSettings(diffSchema, settings, flagLabels(diffFlags), diffOptions);
    return diffFiles({ ...resolved, inspect: diagnoser({ onProgress: onDiagnosis }) });
  });
}
