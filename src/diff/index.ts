export { type DiffOptions, diffTables } from './engine.js';

export { jsonValue } from './json-value.js';
export { type DiffFilesOptions, diffFiles } from './run.js';
export { DEFAULT_TOLERANCE } from './tolerance.js';
export type * from './types.js';
