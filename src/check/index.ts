export { runChecks } from './run.js';
export type * from './types.js';
