// Arrow IPC / Feather input: decoded with apache-arrow batch by batch and appended to a DuckDB
// table, since DuckDB's own Arrow reader is an extension this machine cannot download.
import { readFileSync } from 'node:fs';
import type { DuckDBType } from '@duckdb/node-api';
import { type DataType, type Field, RecordBatchReader, Type } from 'apache-arrow';
import { InputError, messageOf } from '../errors.js';
import {
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
} from './duckdb.js';
import type { Session } from './session.js';
import { TableWriter } from './table-writer.js';

interface ColumnPlan {
  type: DuckDBType;
  convert: (value: unknown) => unknown;
}

const identity = (v: unknown) => v;
const toDate = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)));
const toNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const toText = (v: unknown) => (v === null || v === undefined ? null : String(v));

function planFor(type: DataType): ColumnPlan {
  switch (type.typeId) {
    case Type.Bool:
      return { type: BOOLEAN, convert: identity };
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
      const table: Record<number, [DuckDBType, DuckDBType]> = {
        8: [TINYINT, UTINYINT],
        16: [SMALLINT, USMALLINT],
        32: [INTEGER, UINTEGER],
        64: [BIGINT, UBIGINT],
      };
      const pair = table[bitWidth] ?? [BIGINT, UBIGINT];
      return { type: isSigned ? pair[0] : pair[1], convert: identity };
    }
    case Type.Float: {
      const { precision } = type as unknown as { precision: number };
      return precision === 1 ? { type: FLOAT, convert: toNumber } : { type: DOUBLE, convert: toNumber };
    }
    case Type.Decimal:
      return { type: DOUBLE, convert: toNumber };
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Dictionary:
      return { type: VARCHAR, convert: toText };
    case Type.Timestamp:
      // apache-arrow returns timestamps as epoch milliseconds.
      return { type: TIMESTAMP, convert: toDate };
    case Type.Date: {
      // Date64 (milliseconds) is how JS writers store Date objects: keep the time of day.
      const { unit } = type as unknown as { unit: number };
      return unit === 1 ? { type: TIMESTAMP, convert: toDate } : { type: DATE, convert: toDate };
    }
    default:
      return { type: VARCHAR, convert: toText };
  }
}

export async function loadArrowFile(session: Session, table: string, path: string): Promise<void> {
  let reader: RecordBatchReader;
  try {
    reader = RecordBatchReader.from(readFileSync(path));
    reader.open();
  } catch (error) {
    throw new InputError(`cannot read Arrow IPC file ${path}: ${messageOf(error)}`, { file: path });
  }
  const fields: Field[] = reader.schema.fields;
  const plans = fields.map((f) => planFor(f.type));
  const writer = await TableWriter.create(
    session,
    table,
    fields.map((f, i) => ({ name: f.name, type: plans[i]!.type })),
  );
  try {
    for (const batch of reader) {
      const columns = fields.map((_, i) => {
        const vector = batch.getChildAt(i);
        const plan = plans[i]!;
        const out = new Array<unknown>(batch.numRows);
        for (let r = 0; r < batch.numRows; r++) out[r] = plan.convert(vector?.get(r) ?? null);
        return out;
      });
      writer.appendColumns(columns, batch.numRows);
    }
  } catch (error) {
    throw new InputError(`cannot read Arrow IPC file ${path}: ${messageOf(error)}`, { file: path });
  } finally {
    writer.close();
  }
}
