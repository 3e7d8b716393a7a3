// The two snapshots of a drift run as SQL relations: registered, counted (zero rows is an input
// error), text formats parsed once into a table, and the few scans of reported-only columns.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, messageOf } from '../errors.js';
import { countRows, quoteIdent, registerSource, type Session, type Source } from '../io/index.js';
import type { DriftOptions } from './types.js';

export interface Snapshot {
  source: Source;
  /** Quoted SQL relation to read the snapshot from. */
  relation: string;
  rows: number;
  what: string;
}

export interface SnapshotSpec {
  /** The view name to register it under. */
  name: string;
  path: string;
  what: string;
  format: DriftOptions['format'];
  /** A column to hold each row's file name (chunks by file). */
  filename?: string;
}

/** The training and the production snapshot of a run, registered as `drift_train` and `drift_prod`. */
export async function openSnapshotPair(
  session: Session,
  paths: { trainPath: string; prodPath: string; format?: SnapshotSpec['format'] },
  prodFilename?: string,
): Promise<{ train: Snapshot; prod: Snapshot }> {
  const { trainPath, prodPath, format } = paths;
  const train = await openSnapshot(session, {
    name: 'drift_train',
    path: trainPath,
    what: 'training snapshot',
    format,
  });
  const prod = await openSnapshot(session, {
    name: 'drift_prod',
    path: prodPath,
    what: 'production snapshot',
    format,
    filename: prodFilename,
  });
  return { train, prod };
}

export async function openSnapshot(session: Session, spec: SnapshotSpec): Promise<Snapshot> {
  const { name, path, what, format } = spec;
  const source = await registerSource(session, name, path, { format, what, filename: spec.filename });
  const rows = await countRows(session, source, what);
  if (rows === 0) throw new InputError(`the ${what} ${path} has no rows`, { file: path });
  return { source, relation: quoteIdent(name), rows, what };
}

/** Bytes compared per read in sameFileContents. */
const COMPARE_BLOCK = 1 << 20;

/**
 * Whether two snapshots are the same regular file's contents read the same way: the same format
 * and equal bytes (compared block by block; files that differ usually do in the first block).
 * Directories, globs and anything not a regular file are never the same.
 */
export function sameSnapshotFile(train: Snapshot, prod: Snapshot): boolean {
  if (train.source.format !== prod.source.format || train.rows !== prod.rows) return false;
  const [a, b] = [resolve(train.source.path), resolve(prod.source.path)];
  let fa: number | null = null;
  let fb: number | null = null;
  try {
    const [sa, sb] = [statSync(a), statSync(b)];
    if (!sa.isFile() || !sb.isFile() || sa.size !== sb.size) return false;
    if (sa.dev === sb.dev && sa.ino === sb.ino) return true;
    fa = openSync(a, 'r');
    fb = openSync(b, 'r');
    const [ba, bb] = [Buffer.alloc(COMPARE_BLOCK), Buffer.alloc(COMPARE_BLOCK)];
    for (let at = 0; at < sa.size; at += COMPARE_BLOCK) {
      const na = readSync(fa, ba, 0, COMPARE_BLOCK, at);
      const nb = readSync(fb, bb, 0, COMPARE_BLOCK, at);
      if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false;
      if (na === 0) return false;
    }
    return true;
  } catch {
    // Unreadable here means "not known to be the same": each side is then read on its own.
    return false;
  } finally {
    if (fa !== null) closeSync(fa);
    if (fb !== null) closeSync(fb);
  }
}

/**
 * Text formats are parsed once into a table instead of once per query; `always` does the same for
 * any format (a training snapshot compared with many production chunks is read once).
 */
export async function materialise(
  session: Session,
  snapshot: Snapshot,
  columns: string[],
  always = false,
): Promise<void> {
  if (!(always || ['csv', 'json', 'ndjson'].includes(snapshot.source.format)) || columns.length === 0) return;
  const table = `${snapshot.source.name}_data`;
  try {
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT ${columns.map(quoteIdent).join(', ')} FROM ${snapshot.relation}`,
    );
  } catch (error) {
    throw new InputError(`cannot read ${snapshot.what} ${snapshot.source.path}: ${messageOf(error)}`, {
      file: snapshot.source.path,
    });
  }
  snapshot.relation = quoteIdent(table);
}

/** Null counts of columns that are reported but not compared (one scan per snapshot). */
export async function nullCounts(
  session: Session,
  snapshot: Snapshot,
  names: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (names.length === 0) return out;
  const reader = await session.connection.runAndReadAll(
    `SELECT ${names.map((n) => `(count(*) - count(${quoteIdent(n)}))::DOUBLE`).join(', ')} FROM ${snapshot.relation}`,
  );
  const cols = reader.getColumns();
  names.forEach((n, i) => {
    out.set(n, cols[i]![0] as number);
  });
  return out;
}

/** For a numeric-vs-text mismatch: how many text values are not numbers, and the smallest one. */
export async function nonNumericExample(
  session: Session,
  snapshot: Snapshot,
  column: string,
): Promise<{ count: number; example: string | null }> {
  const c = quoteIdent(column);
  const reader = await session.connection.runAndReadAll(
    `SELECT count(*)::DOUBLE, min(${c}) FROM ${snapshot.relation}
     WHERE ${c} IS NOT NULL AND TRY_CAST(${c} AS DOUBLE) IS NULL`,
  );
  const [[count], [example]] = reader.getColumns() as [number[], (string | null)[]];
  return { count: count!, example: example ?? null };
}
