// A replay with its diagnosis and its first divergent events, and a drift test whole or chunk by
// chunk, as the CLI, the library and `check` all run them.
import type { ResolvedDrift, ResolvedReplay } from '../config/resolve.js';
import { diagnoser, firstDivergenceProbe } from '../diagnose/index.js';
import type { DiffResult } from '../diff/index.js';
import { type DriftResult, runDrift, runDriftOverTime } from '../drift/index.js';
import { runReplay } from '../replay/index.js';

export async function replayDiagnosed(
  options: ResolvedReplay & { onDiagnosis?: (check: string, done: number, total: number) => void },
): Promise<DiffResult> {
  const { bisectSample, onDiagnosis, ...replay } = options;
  const firstDivergence = firstDivergenceProbe({
    sampleSize: bisectSample,
    tolerance: replay.tolerance,
    featureTolerances: replay.featureTolerances,
  });
  const result = await runReplay({
    ...replay,
    inspect: (log) => firstDivergence.wrap(diagnoser({ log, onProgress: onDiagnosis }), log),
  });
  return firstDivergence.attach(result);
}

export async function runDriftSettings(options: ResolvedDrift): Promise<DriftResult> {
  const { by, time, ...drift } = options;
  return by === undefined ? runDrift(drift) : runDriftOverTime({ ...drift, by, time });
}
