// What `import … from 'skewcheck'` gives a streaming module: the contract and the window helpers
// only. Loading the whole package (DuckDB, the CLI's libraries) in every replay worker cost about
// a second per worker and broke CommonJS modules; a module needs none of it.
export { InputError, UsageError, UserCodeError } from '../errors.js';
export { defineStreamingFeature, defineStreamProcessor } from './contract.js';
export { hopping, session, tumbling } from './windows.js';
