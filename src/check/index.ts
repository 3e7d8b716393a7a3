export { type BaselineEntry, type BaselineFile, readBaseline } from './baseline.js';
export { type GitChanges, gitChanges, localModuleGraph } from './changes.js';
export { type CheckOptions, runChecks } from './run.js';
export type * from './types.js';
