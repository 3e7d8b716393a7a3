export { protectInput } from './protected-paths.js';
export { isFenceError, openSqlSandbox, RerunSandbox } from './sandbox.js';
export { type ColumnInfo, concurrentMemoryLimit, type JsRow, Session, withSession } from './session.js';
export { copyQueryToFile, writeAtomically } from './sinks.js';
export {
  countRows,
  type Format,
  parseFormat,
  registerSource,
  type Source,
} from './sources.js';
export { quoteIdent, quoteLiteral } from './sql.js';
export { TableWriter } from './table-writer.js';
