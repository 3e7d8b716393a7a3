export { type DiffOptions, type DiffSide, diffTables, type JoinedRows } from './engine.js';
export { type Family, familyOf } from './family.js';
export { jsonValue } from './json-value.js';
export { type DiffFilesOptions, diffFiles } from './run.js';
export { DEFAULT_TOLERANCE } from './tolerance.js';
export type * from './types.js';
