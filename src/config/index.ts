export { findConfig, type LoadedConfig, loadConfig, parseYaml } from './load.js';
export {
  type DiffConfig,
  type DriftCheckConfig,
  defineConfig,
  type FeatureSetConfig,
  type ReplayConfig,
  type SkewcheckConfig,
} from './schema.js';
