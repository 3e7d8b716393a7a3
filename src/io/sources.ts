// Reading user files as DuckDB views: Parquet (files, globs, hive folders), CSV, JSON/NDJSON
// through DuckDB's readers, Arrow IPC/Feather through apache-arrow. Paths reach SQL only as
// quoted literals.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { InputError, messageOf, UsageError } from '../errors.js';
import { protectInput } from './protected-paths.js';
import type { ColumnInfo, Session } from './session.js';
import { quoteIdent, quoteLiteral } from './sql.js';

export const FORMATS = ['parquet', 'csv', 'json', 'ndjson', 'arrow'] as const;
export type Format = (typeof FORMATS)[number];

const EXTENSIONS: Record<string, Format> = {
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
};

const GLOB = /[*?[{]/;

export function parseFormat(value: string | undefined): Format | undefined {
  if (value === undefined) return undefined;
  const format = value.toLowerCase() as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`unknown format "${value}"; expected one of ${FORMATS.join(', ')}`);
  }
  return format;
}

/** The format of a path from its extension (a folder of Parquet files counts as Parquet). */
export function detectFormat(path: string): Format {
  const stripped = path.replace(/\.(gz|zst)$/i, '');
  const ext = extname(stripped.replace(/[*?]+$/, '')).toLowerCase();
  const fromExt = EXTENSIONS[ext];
  if (fromExt) return fromExt;
  if (!GLOB.test(path) && existsSync(path) && statSync(path).isDirectory()) return 'parquet';
  throw new InputError(
    `cannot tell the format of ${path} from its extension; pass --format (${FORMATS.join(', ')})`,
    { file: path },
  );
}

function checkReadable(path: string): void {
  if (GLOB.test(path)) return;
  if (!existsSync(path)) throw new InputError(`file not found: ${path}`, { file: path });
  const stat = statSync(path);
  if (stat.isDirectory()) {
    if (readdirSync(path).length === 0) throw new InputError(`folder is empty: ${path}`, { file: path });
    return;
  }
  if (stat.size === 0) throw new InputError(`file is empty (0 bytes): ${path}`, { file: path });
}

function readerExpression(path: string, format: Format, filename?: string): string {
  const isDir = !GLOB.test(path) && existsSync(path) && statSync(path).isDirectory();
  // Each row's file in a column of that name (drift over time chunks production by file).
  const file = filename === undefined ? '' : `, filename = ${quoteLiteral(filename)}`;
  switch (format) {
    case 'parquet': {
      const target = isDir ? `${path.replace(/\/+$/, '')}/**/*.parquet` : path;
      return `read_parquet(${quoteLiteral(target)}, hive_partitioning = ${isDir ? 'true' : 'false'}, union_by_name = true${file})`;
    }
    case 'csv':
      return `read_csv(${quoteLiteral(path)}, header = true, auto_detect = true${file})`;
    case 'json':
      return `read_json_auto(${quoteLiteral(path)}${file})`;
    case 'ndjson':
      return `read_json_auto(${quoteLiteral(path)}, format = 'newline_delimited'${file})`;
    case 'arrow':
      throw new Error('arrow sources are loaded as tables, not read by expression');
  }
}

export interface Source {
  /** The view (or table) name the source is registered under. */
  name: string;
  path: string;
  format: Format;
  columns: ColumnInfo[];
}

/**
 * Register `path` as a view called `name` and check that it can be read: a missing,
 * empty, truncated or unparsable file is an InputError that names it.
 */
export async function registerSource(
  session: Session,
  name: string,
  path: string,
  options: { format?: Format; what?: string; filename?: string } = {},
): Promise<Source> {
  const what = options.what ?? 'input';
  const absolute = resolve(path);
  checkReadable(absolute);
  protectInput(absolute, what === 'input' ? 'input' : `${what} ${path}`);
  const format = options.format ?? detectFormat(absolute);
  try {
    if (format === 'arrow') {
      // Loaded on demand: apache-arrow takes longer to import than a small drift run takes.
      const { loadArrowFile } = await import('./arrow.js');
      await loadArrowFile(session, name, absolute);
    } else {
      await session.run(
        `CREATE OR REPLACE VIEW ${quoteIdent(name)} AS SELECT * FROM ${readerExpression(absolute, format, options.filename)}`,
      );
    }
    const columns = await session.columnsOf(name);
    // Reading the footer/first rows now surfaces truncated or corrupt files with their name.
    await session.run(`SELECT count(*) FROM (SELECT * FROM ${quoteIdent(name)} LIMIT 1)`);
    return { name, path, format, columns };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${what} ${path} as ${format}: ${messageOf(error)}`, { file: path });
  }
}

/** Row count of a registered source, mapping read errors (e.g. a truncated file) to InputError. */
export async function countRows(session: Session, source: Source, what = 'input'): Promise<number> {
  try {
    const n = await session.scalar(`SELECT count(*) FROM ${quoteIdent(source.name)}`);
    return Number(n);
  } catch (error) {
    throw new InputError(`cannot read ${what} ${source.path}: ${messageOf(error)}`, { file: source.path });
  }
}
