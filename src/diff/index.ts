export {
  type DiffOptions,
  type DiffSide,
  diffTables,
  familyOf,
  type JoinedRows,
  jsonValue,
} from './engine.js';
export { type DiffFilesOptions, diffFiles } from './run.js';
export { DEFAULT_TOLERANCE, parseFeatureTolerance, parseToleranceValue } from './tolerance.js';
export type * from './types.js';
