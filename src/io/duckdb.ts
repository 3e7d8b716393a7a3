// The DuckDB client's values (classes, type constants), loaded with require(): importing this
// CommonJS package as an ES module has Node scan its ~100 files for named exports, about 0.2 s of
// every command's start. Import values from here; types may still come from '@duckdb/node-api'.
import { createRequire } from 'node:module';
import type * as Api from '@duckdb/node-api';

const api = createRequire(import.meta.url)('@duckdb/node-api') as typeof Api;

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
