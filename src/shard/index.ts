// Sharded runs (`--shard i/N`): a run keeps only the keys whose hash falls in shard i, so N
// machines can each replay or diff a share of the keys and `skewcheck merge` combines them.
// The filter is SQL on the registered view, so DuckDB applies it while scanning.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { countRows, quoteIdent, quoteLiteral, type Session, type Source } from '../io/index.js';

export interface ShardSpec {
  /** 0-based: 0 ≤ index < count (like Kubernetes' JOB_COMPLETION_INDEX). */
  index: number;
  count: number;
}

/** Names the key hash in results, so that `merge` refuses shards cut by another rule. */
export const SHARD_HASH = 'md5-normalised-key-v1';

/** One input of a sharded run, described well enough to tell two different inputs apart. */
export interface ShardInput {
  role: string;
  path: string;
  /** Rows of the whole input (every shard), for data files; null for code files. */
  rows: number | null;
  /** Size in bytes when the path is one file (null for globs and folders). */
  bytes: number | null;
  /** SHA-256 of a code file's text (SQL file, streaming module); null for data. */
  sha256: string | null;
}

/** Recorded in a sharded run's result (`shard`); `merge` checks that the shards fit together. */
export interface ShardInfo {
  index: number;
  count: number;
  hash: typeof SHARD_HASH;
  /** The run's --sample and top-key limits: the merged result keeps as many. */
  sample_size: number;
  top_keys: number;
  inputs: ShardInput[];
  /** The align columns (keys, then window columns) that hold numbers: the merge orders them by value. */
  numeric_columns: string[];
  /** The part of the whole time range this shard's rows cover (first window column), for the merged timeline. */
  time_range: { min: string; max: string } | null;
  /** The shard of a non-empty input had no (key, window) rows on either side: it compared nothing, and `merge` judges the run. */
  empty: boolean;
}

const MAX_SHARDS = 100_000;

/** Parse `--shard i/N` (0-based index); `label` names the setting in the message. */
export function parseShard(text: string, label = '--shard'): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!match || count < 1 || count > MAX_SHARDS || index >= count) {
    const hint =
      match && index === count && count > 0
        ? ` (shards are numbered from 0: the last of ${count} is ${count - 1}/${count})`
        : '';
    throw new UsageError(
      `${label} must be i/N with N from 1 to ${MAX_SHARDS.toLocaleString('en-US')} and 0 ≤ i < N — shard i of N, counted from 0 like a GitHub Actions matrix index or Kubernetes' JOB_COMPLETION_INDEX — got "${text}"${hint}`,
    );
  }
  return { index, count };
}

const WHITESPACE = quoteLiteral(' \t\r\n');

/**
 * The key's canonical text: per key column, its text trimmed of whitespace, numbers in DuckDB's
 * text form of the DOUBLE (so 42, '42' and ' 042' agree), other text lower-cased; 'N' for NULL
 * and 'V' + text otherwise; columns joined by U+001F. Keys that differ only by the trimming,
 * case-folding or re-typing a pipeline may apply land in the same shard, where the diff can
 * still align them or diagnose them as a key_normalisation.
 */
export function keyTextExpression(keyColumns: readonly string[], alias?: string): string {
  const parts = keyColumns.map((column) => {
    const ref = alias ? `${alias}.${quoteIdent(column)}` : quoteIdent(column);
    const trimmed = `trim(CAST(${ref} AS VARCHAR), ${WHITESPACE})`;
    const canonical = `COALESCE(CAST(TRY_CAST(${trimmed} AS DOUBLE) AS VARCHAR), lower(${trimmed}))`;
    return `(CASE WHEN ${ref} IS NULL THEN 'N' ELSE 'V' || ${canonical} END)`;
  });
  return parts.length === 1 ? parts[0]! : `concat_ws(chr(31), ${parts.join(', ')})`;
}

/** The shard of a row: the first 16 hex digits of md5(key text) as an unsigned 64-bit integer, modulo N. */
export function shardExpression(keyColumns: readonly string[], count: number, alias?: string): string {
  return `(CAST('0x' || substr(md5(${keyTextExpression(keyColumns, alias)}), 1, 16) AS UBIGINT) % ${count})`;
}

/** A SQL predicate true for the rows of shard `spec` (for a copy of an input made elsewhere, e.g. the SQL sandbox). */
export function shardPredicate(keyColumns: readonly string[], spec: ShardSpec): string {
  return `${shardExpression(keyColumns, spec.count)} = ${spec.index}`;
}

function fileBytes(path: string): number | null {
  try {
    const stat = statSync(resolve(path));
    return stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
}

/**
 * Replace the view `source.name` by the rows of shard `spec` (the whole input stays readable as
 * `<name>__unsharded`). Returns the source (same columns) and a description of the whole input.
 */
export async function restrictToShard(
  session: Session,
  source: Source,
  keyColumns: readonly string[],
  spec: ShardSpec,
  role: string,
): Promise<{ source: Source; input: ShardInput }> {
  const missing = keyColumns.filter((k) => !source.columns.some((c) => c.name === k));
  if (missing.length > 0) {
    throw new InputError(
      `--shard needs the key column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} in ${role} ${source.path} to pick each row's shard; its columns are: ${source.columns.map((c) => c.name).join(', ')}`,
      { file: source.path, column: missing[0] },
    );
  }
  const rows = await countRows(session, source, role);
  const whole = `${source.name}__unsharded`;
  // Arrow files are loaded as tables, everything else is a view over DuckDB's reader.
  const kind = source.format === 'arrow' ? 'TABLE' : 'VIEW';
  await session.run(`ALTER ${kind} ${quoteIdent(source.name)} RENAME TO ${quoteIdent(whole)}`);
  await session.run(
    `CREATE VIEW ${quoteIdent(source.name)} AS SELECT * FROM ${quoteIdent(whole)} WHERE ${shardPredicate(keyColumns, spec)}`,
  );
  return { source, input: { role, path: source.path, rows, bytes: fileBytes(source.path), sha256: null } };
}

/** A code input (SQL file, streaming module): identified by the hash of its text. */
export function codeInput(role: string, path: string): ShardInput {
  let sha256: string | null = null;
  try {
    sha256 = createHash('sha256')
      .update(readFileSync(resolve(path)))
      .digest('hex');
  } catch {
    // Unreadable files fail earlier, with their own message; the size alone then identifies it.
  }
  return { role, path, rows: null, bytes: fileBytes(path), sha256 };
}

/**
 * The first window column's range over the (key, window) rows of both sides that are not
 * duplicated on their side — the rows the diff's timeline counts — as ISO text; null when the
 * column is not a time or there are no rows.
 */
export async function alignedTimeRange(
  session: Session,
  tables: readonly string[],
  alignColumns: readonly string[],
  timeColumn: string,
): Promise<ShardInfo['time_range']> {
  const align = alignColumns.map(quoteIdent).join(', ');
  const t = `CAST(${quoteIdent(timeColumn)} AS TIMESTAMP)`;
  const unique = tables.map(
    (table) => `SELECT ${t} AS t FROM ${quoteIdent(table)} GROUP BY ${align} HAVING count(*) = 1`,
  );
  const row = (
    await session.rows(`SELECT min(t) AS lo, max(t) AS hi FROM (${unique.join(' UNION ALL ')})`)
  )[0];
  if (!(row?.lo instanceof Date) || !(row.hi instanceof Date)) return null;
  return { min: row.lo.toISOString(), max: row.hi.toISOString() };
}

/** What a sharded run records about itself (`result.shard`). */
export async function describeShard(
  session: Session,
  spec: ShardSpec,
  run: {
    inputs: ShardInput[];
    sampleSize: number;
    topKeys: number;
    /** The two sides' tables, the align columns, and the timeline's column (null: no timeline). */
    tables: readonly string[];
    alignColumns: readonly string[];
    timelineColumn: string | null;
    /** Whether the shard compared nothing (no rows on either side). */
    empty: boolean;
  },
): Promise<ShardInfo> {
  return {
    index: spec.index,
    count: spec.count,
    hash: SHARD_HASH,
    sample_size: run.sampleSize,
    top_keys: run.topKeys,
    inputs: run.inputs,
    numeric_columns: await numericColumns(session, run.tables, run.alignColumns),
    time_range:
      run.timelineColumn === null
        ? null
        : await alignedTimeRange(session, run.tables, run.alignColumns, run.timelineColumn),
    empty: run.empty,
  };
}

const NUMERIC = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL.*)$/;

/** Align columns that are numeric on every side (the diff aligns the others on their text). */
async function numericColumns(
  session: Session,
  tables: readonly string[],
  alignColumns: readonly string[],
): Promise<string[]> {
  const types = await Promise.all(
    tables.map(async (t) => new Map((await session.columnsOf(t)).map((c) => [c.name, c.type]))),
  );
  return alignColumns.filter((c) => types.every((side) => NUMERIC.test(side.get(c) ?? '')));
}
