export { InputError } from '../errors.js';
export { clearProtectedInputs, protectInput, realPathOf, refuseOverwritingInput } from './protected-paths.js';
export { isFenceError, openSqlSandbox, type SandboxInput, type SandboxOptions } from './sandbox.js';
export { type ColumnInfo, type JsRow, Session, type SessionOptions, withSession } from './session.js';
export { copyQueryToFile, removePendingTemporaries, writeAtomically } from './sinks.js';
export {
  countRows,
  detectFormat,
  FORMATS,
  type Format,
  parseFormat,
  registerSource,
  type Source,
} from './sources.js';
export { identList, quoteIdent, quoteLiteral } from './sql.js';
export { TableWriter, type WriterColumn } from './table-writer.js';
