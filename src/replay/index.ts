// The replay folder's public face: `runReplay` and what the CLI, the diagnosis and benches use.
export { parseSimulatedDelay } from './arrival.js';

export { runHarness } from './harness.js';

export type { ReplayOrder } from './replay-run.js';

export { type ReplayOptions, runReplay } from './run-replay.js';
export { tumbling } from './windows.js';
