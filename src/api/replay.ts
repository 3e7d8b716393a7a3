// `replay()`: the library form of `skewcheck replay`.
import { replayDiagnosed } from '../check/replay-diagnosed.js';
import { flagLabels, replayFlags } from '../config/flags.js';
import { replayOptions } from '../config/resolve.js';
import { type ReplayConfig, replaySchema } from '../config/schema.js';
import type { DiffResult } from '../diff/index.js';
import { abortable, progressWithAbort, type RunControls, splitControls } from './controls.js';
import { resolveSettings } from './settings.js';

/** The settings of `skewcheck replay` (a `featureSets` entry of the config, and `shard`), plus run controls. */
export type ReplayOptions = ReplayConfig & RunControls;

/**
 * Replay one event log through the batch SQL and the streaming module and diff both outputs per
 * key and window, with the diagnosis and the first divergent events: the result `skewcheck replay --json` writes. Paths are
 * relative to the working directory. Throws UsageError, InputError or UserCodeError with the
 * messages of the command line.
 */
export async function replay(options: ReplayOptions): Promise<DiffResult> {
  const { controls, settings } = splitControls(options);
  return abortable(controls.signal, async () => {
    const resolved = resolveSettings(replaySchema, settings, flagLabels(replayFlags), replayOptions);
    return replayDiagnosed({
      ...resolved,
      onProgress: progressWithAbort(controls),
      onDiagnosis: controls.onDiagnosis,
    });
  });
}
