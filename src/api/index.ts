// The library API: each command as a function taking the command's settings (the same schema as
// the config and the flags) and returning the result its --json writes.
export { type CheckOptions, check, checkWithConfig } from './check.js';
export type { RunControls } from './controls.js';
export { type DiffOptions, diff } from './diff.js';
export { type DriftOptions, drift } from './drift.js';
export { merge, type ShardResultInput } from './merge.js';
export { type RenderFormat, render } from './render.js';
export { type ReplayOptions, replay } from './replay.js';
