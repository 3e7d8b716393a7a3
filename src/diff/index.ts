export { DEFAULT_TOP_KEYS, type DiffOptions, diffTables } from './engine.js';

export { jsonValue } from './json-value.js';
export { MAX_SCATTER_FEATURES, pickBucket, TIMELINE_FEATURES } from './plot-data.js';
export { type DiffFilesOptions, diffFiles } from './run.js';
export { DEFAULT_TOLERANCE } from './tolerance.js';
export type * from './types.js';
export { diffReasons, NOTHING_COMPARED_NOTE } from './verdict.js';
