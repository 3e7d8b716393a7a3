// Writing outputs atomically: everything goes to a temporary file beside the target and is
// renamed into place, so a crash or a failed query never leaves a half-written report.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InputError, messageOf } from '../errors.js';
import { refuseOverwritingInput } from './protected-paths.js';
import type { Session } from './session.js';
import { quoteIdent, quoteLiteral } from './sql.js';

/** Temporary files being written now: removed if the process ends before they are renamed. */
const pending = new Set<string>();
let cleanupInstalled = false;

/** Remove the temporary files of writes still in progress (on exit, e.g. after Ctrl-C). */
export function removePendingTemporaries(): void {
  for (const tmp of pending) rmSync(tmp, { force: true, recursive: true });
  pending.clear();
}

function temporaryBeside(path: string): string {
  const target = resolve(path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.once('exit', removePendingTemporaries);
  }
  pending.add(tmp);
  return tmp;
}

function ensureFolder(path: string): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create the folder for ${path}: ${messageOf(error)}`, { file: path });
  }
}

export function writeAtomically(path: string, content: string | Uint8Array): void {
  refuseOverwritingInput(path, 'the output');
  ensureFolder(path);
  const tmp = temporaryBeside(path);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, resolve(path));
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new InputError(`cannot write ${path}: ${messageOf(error)}`, { file: path });
  } finally {
    pending.delete(tmp);
  }
}

const COPY_FORMATS: Record<string, string> = {
  '.parquet': "(FORMAT 'parquet')",
  '.csv': "(FORMAT 'csv', HEADER true)",
  '.json': "(FORMAT 'json', ARRAY true)",
  '.ndjson': "(FORMAT 'json')",
  '.jsonl': "(FORMAT 'json')",
};

/**
 * JSON has no NaN or Infinity: in JSON outputs a non-finite float is written as the string
 * "NaN", "Infinity" or "-Infinity" (as in the JSON results), finite ones as numbers.
 */
async function jsonSafeQuery(session: Session, query: string): Promise<string> {
  const columns = await session.describe(`(${query})`);
  if (!columns.some((c) => c.type === 'DOUBLE' || c.type === 'FLOAT')) return query;
  const select = columns.map(({ name, type }) => {
    const c = `q.${quoteIdent(name)}`;
    if (type !== 'DOUBLE' && type !== 'FLOAT') return c;
    return `CASE WHEN ${c} IS NULL THEN NULL WHEN isfinite(${c}) THEN CAST(${c} AS JSON) WHEN isnan(${c}) THEN '"NaN"'::JSON WHEN ${c} > 0 THEN '"Infinity"'::JSON ELSE '"-Infinity"'::JSON END AS ${quoteIdent(name)}`;
  });
  return `SELECT ${select.join(', ')} FROM (${query}) AS q`;
}

/** COPY a query's result to a file whose format follows its extension (Parquet, CSV, JSON). */
export async function copyQueryToFile(session: Session, query: string, path: string): Promise<void> {
  const options = COPY_FORMATS[extname(path).toLowerCase()];
  if (!options) {
    throw new InputError(
      `cannot tell the output format of ${path}; use one of ${Object.keys(COPY_FORMATS).join(', ')}`,
      { file: path },
    );
  }
  refuseOverwritingInput(path, 'the output');
  ensureFolder(path);
  const tmp = temporaryBeside(path);
  try {
    const rows = options.includes("'json'") ? await jsonSafeQuery(session, query) : query;
    await session.run(`COPY (${rows}) TO ${quoteLiteral(tmp)} ${options}`);
    renameSync(tmp, resolve(path));
  } catch (error) {
    rmSync(tmp, { force: true, recursive: true });
    throw new InputError(`cannot write ${path}: ${messageOf(error)}`, { file: path });
  } finally {
    pending.delete(tmp);
  }
}
