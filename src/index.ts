// Public API of the skewcheck package: what user streaming modules, configs and tools import.

export {
  type CheckOptions,
  check,
  type DiffOptions,
  type DriftOptions,
  diff,
  drift,
  merge,
  type RenderFormat,
  type ReplayOptions,
  type RunControls,
  render,
  replay,
  type ShardResultInput,
} from './api/index.js';
export type { CheckEntry, CheckRunResult } from './check/types.js';
export {
  type DiffConfig,
  type DriftCheckConfig,
  defineConfig,
  type FeatureSetConfig,
  type ReplayConfig,
  type SkewcheckConfig,
} from './config/index.js';
export type { Diagnosis, DiffResult } from './diff/index.js';
export type { DriftResult } from './drift/index.js';
export { InputError, UsageError, UserCodeError } from './errors.js';
export {
  defineStreamingFeature,
  defineStreamProcessor,
  type EntityKey,
  type FeatureRow,
  type FeatureValue,
  type KeyPart,
  type ProcessorContext,
  type StreamEvent,
  type StreamingFeature,
  type StreamProcessor,
  type WindowContext,
} from './replay/contract.js';
export type { Duration } from './replay/duration.js';
export {
  type HoppingWindow,
  hopping,
  type SessionWindow,
  session,
  type TumblingWindow,
  tumbling,
  type WindowSpec,
} from './replay/windows.js';
