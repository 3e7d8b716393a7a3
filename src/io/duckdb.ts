// The DuckDB client's values (classes, type constants), loaded with require(): importing this
// CommonJS package as an ES module has Node scan its ~100 files for named exports, about 0.2 s of
// every command's start. Import values from here; types may still come from '@duckdb/node-api'.
import { createRequire } from 'node:module';
import type * as Api from '@duckdb/node-api';

const require = createRequire(import.meta.url);
const api = require('@duckdb/node-api') as typeof Api;
// The C API's bindings (the package the client is built on, at the client's exact version):
// one call copies a whole buffer into a vector, where the client sets strings one call each.
const bindings = require('@duckdb/node-bindings') as typeof import('@duckdb/node-bindings');

/** Copies `bytes` over the start of a vector's data (its native handle, from a client vector's `vector`). */
export function copyToVector(vector: unknown, bytes: Uint8Array): void {
  bindings.copy_data_to_vector(
    vector as Parameters<typeof bindings.copy_data_to_vector>[0],
    0,
    bytes.buffer as ArrayBuffer,
    bytes.byteOffset,
    bytes.byteLength,
  );
}

export const {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  FLOAT,
  INTEGER,
  SMALLINT,
  TIMESTAMP,
  TINYINT,
  UBIGINT,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
} = api;
export const {
  DuckDBDataChunk,
  DuckDBDoubleVector,
  DuckDBInstance,
  JSDuckDBValueConverter,
  JSToDuckDBValueConverter,
  StatementType,
} = api;
export type DuckDBDataChunk = Api.DuckDBDataChunk;
export type DuckDBDoubleVector = Api.DuckDBDoubleVector;
export type DuckDBInstance = Api.DuckDBInstance;
export type StatementType = Api.StatementType;
