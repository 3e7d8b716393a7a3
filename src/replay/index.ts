// The replay folder's public face: `runReplay` and what the CLI, the diagnosis and benches use.
export { parseSimulatedDelay, type SimulatedDelay } from './arrival.js';
export { parseDuration } from './duration.js';
export { LATE_EVENTS_TABLE, runHarness } from './harness.js';
export { type LoadedModule, loadStreamingModule } from './module-loader.js';
export type { HarnessOptions, HarnessStats, ReplayOrder } from './replay-run.js';
export type { ReplayedLog } from './replayed-log.js';
export { type ReplayOptions, runReplay } from './run-replay.js';
export { hopping, session, tumbling, type WindowSpec, windowStartsFor } from './windows.js';
