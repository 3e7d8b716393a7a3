// Drift over time (`drift --by`): production split into chunks (by file, by day or week of a time
// column, or by a column's values; NannyML's "chunks") and each chunk tested against the training
// snapshot. The training snapshot is read once into a table that every chunk is compared with; all
// chunk × feature tests form one multiple-testing family, so the verdict is corrected over them.
import { InputError, messageOf, UsageError } from '../errors.js';
import { quoteIdent, quoteLiteral, Session } from '../io/index.js';
import { adjustFamily, decideFeatures, testNullRates } from './decide.js';
import { classifyType, type PlannedFeature, planFeatures } from './feature-plan.js';
import { assembleResult, compareFeatures, refuseNothingCompared } from './run-drift.js';
import { materialise, openSnapshotPair, type Snapshot } from './snapshot.js';
import type { ComparisonContext } from './tests/index.js';
import type { ChunkSeries, DriftChunks, DriftOverTimeOptions, DriftResult, FeatureResult } from './types.js';
import { compareSeverity, resolveSettings } from './verdict.js';

/** The column that holds each production row's file when chunking by file. */
const FILE_COLUMN = '_skewcheck_file';
/** The column of the production table that holds each row's chunk label. */
const CHUNK_LABEL = '_skewcheck_chunk';
/** More chunks than this is almost surely a wrong --by (e.g. a timestamp column). */
const MAX_CHUNKS = 1000;

interface Chunking {
  by: DriftChunks['by'];
  column: string | null;
  /** SQL of a row's chunk label (VARCHAR) over the production relation. */
  label: string;
  /** Production columns that are not features. */
  hidden: string[];
}

export async function runDriftOverTime(options: DriftOverTimeOptions): Promise<DriftResult> {
  const settings = resolveSettings(options);
  const session = await Session.open({ memoryLimit: options.memoryLimit, threads: options.threads });
  try {
    const { trainPath, prodPath, format } = options;
    const { train, prod } = await openSnapshotPair(
      session,
      { trainPath, prodPath, format },
      options.by === 'file' ? FILE_COLUMN : undefined,
    );
    const chunking = chooseChunking(options, prod);
    const hidden = new Set(chunking.hidden);
    const plan = planFeatures({
      train: { path: trainPath, columns: train.source.columns.filter((c) => !hidden.has(c.name)) },
      prod: { path: prodPath, columns: prod.source.columns.filter((c) => !hidden.has(c.name)) },
      features: options.features,
      exclude: options.exclude,
      categorical: options.categorical,
    });
    if (plan.length === 0)
      throw new UsageError('no feature columns left to compare (check --features and --exclude)');
    // The training snapshot is read here, once; every chunk is compared with this table.
    const present = new Set(train.source.columns.map((c) => c.name));
    await materialise(
      session,
      train,
      plan.filter((p) => present.has(p.name)).map((p) => p.name),
      true,
    );
    const inProd = new Set(prod.source.columns.map((c) => c.name));
    await labelChunks(
      session,
      prod,
      chunking,
      plan.map((p) => p.name).filter((n) => inProd.has(n)),
    );
    const keys = await chunkKeys(session, prod, chunking);
    const perChunk: FeatureResult[][] = [];
    const rows: number[] = [];
    for (const [i, key] of keys.entries()) {
      const chunk = await chunkSnapshot(session, prod, chunking, key);
      rows.push(chunk.rows);
      const context: ComparisonContext = {
        session,
        relations: { train: train.relation, prod: chunk.relation },
        rows: { train: train.rows, prod: chunk.rows },
        settings,
        threads: options.threads,
      };
      const features = await compareFeatures(context, { train, prod: chunk }, plan);
      if (i === 0) refuseNothingCompared(features, { train, prod });
      testNullRates(features);
      perChunk.push(features);
    }
    const tests = adjustFamily(perChunk.flat(), settings.correction);
    decideFeatures(perChunk.flat(), settings);
    const chunks: DriftChunks = {
      by: chunking.by,
      column: chunking.column,
      keys,
      rows,
      unassigned_rows: prod.rows - rows.reduce((a, b) => a + b, 0),
      features: plan.map((p, j) =>
        series(
          p,
          perChunk.map((features) => features[j]!),
          keys,
        ),
      ),
    };
    const features = plan.map((_, j) =>
      representative(
        perChunk.map((c) => c[j]!),
        chunks.features[j]!,
        keys,
      ),
    );
    features.sort(compareSeverity);
    const result = assembleResult({
      snapshots: { train, prod },
      settings,
      features,
      tests,
      plots: undefined,
    });
    if (chunks.unassigned_rows > 0) {
      result.notes.push(
        `${chunks.unassigned_rows} production rows have no chunk (${chunking.column ?? 'file'} is NULL) and were left out`,
      );
    }
    return { ...result, chunks };
  } finally {
    session.close();
  }
}

function chooseChunking(options: DriftOverTimeOptions, prod: Snapshot): Chunking {
  const columns = prod.source.columns;
  const by = options.by;
  if (by === 'file') return { by, column: null, label: quoteIdent(FILE_COLUMN), hidden: [FILE_COLUMN] };
  if (by === 'day' || by === 'week') {
    const temporal = columns.filter(
      (c) => classifyType(c.type) === 'temporal' && !/^(TIME|INTERVAL)/i.test(c.type),
    );
    const column = options.time ?? (temporal.length === 1 ? temporal[0]!.name : undefined);
    if (column === undefined) {
      throw new UsageError(
        `--by ${by} needs the time column: pass --time <column> (date/time columns of ${prod.source.path}: ` +
          `${temporal.map((c) => c.name).join(', ') || 'none'})`,
      );
    }
    if (!columns.some((c) => c.name === column)) {
      throw new InputError(`--time names column "${column}", which is not in ${prod.source.path}`, {
        file: prod.source.path,
        column,
      });
    }
    const label = `strftime(date_trunc('${by}', CAST(${quoteIdent(column)} AS TIMESTAMP)), '%Y-%m-%d')`;
    return { by, column, label, hidden: [column] };
  }
  if (!columns.some((c) => c.name === by)) {
    throw new UsageError(
      `--by must be file, day, week or a column of ${prod.source.path}; there is no column "${by}"`,
    );
  }
  return { by: 'column', column: by, label: `CAST(${quoteIdent(by)} AS VARCHAR)`, hidden: [by] };
}

/**
 * Production read once into a table with each row's chunk label, ordered by it: each chunk is
 * then a range of that table, not a new scan of every production file.
 */
async function labelChunks(
  session: Session,
  prod: Snapshot,
  chunking: Chunking,
  columns: string[],
): Promise<void> {
  const table = `${prod.source.name}_chunks`;
  const label = quoteIdent(CHUNK_LABEL);
  const selected = [...columns.map(quoteIdent), `${chunking.label} AS ${label}`].join(', ');
  try {
    await session.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT ${selected} FROM ${prod.relation} ORDER BY ${label}`,
    );
  } catch (error) {
    throw new InputError(`cannot read production snapshot ${prod.source.path}: ${messageOf(error)}`, {
      file: prod.source.path,
    });
  }
  prod.relation = quoteIdent(table);
  chunking.label = label;
}

async function chunkKeys(session: Session, prod: Snapshot, chunking: Chunking): Promise<string[]> {
  const rows = await session.rows(
    `SELECT DISTINCT ${chunking.label} AS k FROM ${prod.relation} WHERE k IS NOT NULL ORDER BY k LIMIT ${MAX_CHUNKS + 1}`,
  );
  const keys = rows.map((r) => String(r.k));
  if (keys.length === 0) {
    throw new InputError(
      `no production chunk to test: ${chunking.column ?? 'the file'} is NULL on every row`,
      {
        file: prod.source.path,
      },
    );
  }
  if (keys.length > MAX_CHUNKS) {
    throw new UsageError(
      `--by ${chunking.by === 'column' ? chunking.column : chunking.by} makes more than ${MAX_CHUNKS} chunks`,
    );
  }
  return keys;
}

/** One chunk of production as a view (its label bound as a literal, never spliced raw). */
async function chunkSnapshot(
  session: Session,
  prod: Snapshot,
  chunking: Chunking,
  key: string,
): Promise<Snapshot> {
  const view = quoteIdent('drift_prod_chunk');
  await session.run(
    `CREATE OR REPLACE TEMP VIEW ${view} AS SELECT * FROM ${prod.relation} WHERE ${chunking.label} = ${quoteLiteral(key)}`,
  );
  const rows = Number(await session.scalar(`SELECT count(*) FROM ${view}`));
  return { source: prod.source, relation: view, rows, what: `production chunk ${key}` };
}

function series(p: PlannedFeature, results: FeatureResult[], keys: string[]): ChunkSeries {
  const first = results.findIndex((f) => f.drift);
  return {
    name: p.name,
    test: results.find((f) => f.test !== null)?.test ?? null,
    effect_measure: results.find((f) => f.effect_measure !== null)?.effect_measure ?? null,
    statistic: results.map((f) => f.statistic),
    pvalue_adjusted: results.map((f) => f.pvalue_adjusted),
    effect: results.map((f) => f.effect),
    null_rate: results.map((f) => f.prod.null_rate),
    drift: results.map((f) => f.drift),
    first_drift: first >= 0 ? keys[first]! : null,
  };
}

/** The feature's result in its first drifted chunk, else in the chunk with the strongest evidence. */
function representative(results: FeatureResult[], s: ChunkSeries, keys: string[]): FeatureResult {
  let at = keys.indexOf(s.first_drift ?? '');
  if (at < 0) {
    at = 0;
    results.forEach((f, i) => {
      if (compareSeverity(f, results[at]!) < 0) at = i;
    });
  }
  const f = results[at]!;
  const drifted = s.drift.filter(Boolean).length;
  f.notes.unshift(
    s.first_drift !== null
      ? `first drifted in chunk ${JSON.stringify(keys[at])}; drifted in ${drifted} of ${keys.length} chunks`
      : `no drift in any of ${keys.length} chunks; shown: chunk ${JSON.stringify(keys[at])}, the strongest evidence`,
  );
  return f;
}
