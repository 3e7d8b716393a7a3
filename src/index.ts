// Public API of the skewcheck package: what user streaming modules and tools import.

export {
  type DriftCheckConfig,
  defineConfig,
  type FeatureSetConfig,
  type SkewcheckConfig,
} from './config/index.js';
export type { Diagnosis, DiffResult } from './diff/index.js';
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
