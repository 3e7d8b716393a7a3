// The diagnosis corpus: seeded cases of (event log, batch SQL, streaming module) with bugs
// injected on purpose, each knowing its true cause(s). `planCorpus` draws the cases (pure, no
// I/O); `writeCorpus` writes the logs and the two implementations of every case to a folder.
//
//   import { planCorpus, writeCorpus } from './bench/corpus/index.mjs';
//   const cases = await writeCorpus(dir, planCorpus({ seed: 7, count: 300 }));
//   // cases[i]: { id, shape, families, causes, eventsPath, batchSqlPath, streamModulePath, replay }
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { COVERED, compatible, FAMILIES, UNCOVERED } from './bugs.mjs';
import { prng, SHAPES } from './shapes.mjs';
import { batchSql, streamModule } from './templates.mjs';

/** Shares of the corpus: correct pairs, bugs no check covers, two bugs at once; the rest single bugs. */
const MIX = { control: 0.06, uncovered: 0.1, pair: 0.22 };

function basePlan(id, shape, rng) {
  return {
    id,
    shape: shape.name,
    windowMs: rng.pick(shape.windows),
    mode: 'processor',
    window: { kind: 'ok' },
    key: undefined,
    dedup: undefined,
    agg: {},
    sql: { window: 'ok' },
    families: [],
    descriptions: [],
  };
}

function inject(plan, family, rng, shape) {
  plan.descriptions.push(FAMILIES[family].draw(plan, rng, shape));
  plan.families.push(family);
}

function applicable(families, shape, plan) {
  return families.filter((f) => FAMILIES[f].applies(shape, plan.windowMs));
}

/**
 * Draw `count` cases from `seed`. Single-bug cases cycle through the covered families so each
 * gets its share; uncovered and two-bug cases are drawn at random among what fits the shape.
 */
export function planCorpus({ seed = 1, count = 300 } = {}) {
  const rng = prng(seed);
  const shapes = Object.values(SHAPES);
  const plans = [];
  const single = new Map();
  for (let i = 0; i < count; i++) {
    const id = `c${String(i + 1).padStart(3, '0')}`;
    const shape = shapes[i % shapes.length];
    const plan = basePlan(id, shape, rng);
    const roll = rng.next();
    if (roll < MIX.control) {
      plan.kind = 'control';
    } else if (roll < MIX.control + MIX.uncovered) {
      plan.kind = 'uncovered';
      inject(plan, rng.pick(applicable(UNCOVERED, shape, plan)), rng, shape);
    } else if (roll < MIX.control + MIX.uncovered + MIX.pair) {
      plan.kind = 'pair';
      const first = rng.pick(applicable(COVERED, shape, plan));
      const second = rng.pick(applicable(COVERED, shape, plan).filter((f) => compatible(first, f)));
      inject(plan, first, rng, shape);
      inject(plan, second, rng, shape);
    } else {
      plan.kind = 'single';
      const families = applicable(COVERED, shape, plan);
      const n = single.get(shape.name) ?? 0;
      single.set(shape.name, n + 1);
      inject(plan, families[n % families.length], rng, shape);
    }
    plan.causes = plan.families.map((f) => FAMILIES[f].code).filter((c) => c !== null);
    plan.description = plan.descriptions.join('; ') || 'correct pair (control)';
    plans.push(plan);
  }
  return plans;
}

/**
 * One case with the given bug families (none: a control), drawn from `seed`: for tests that pin
 * a handful of situations. `windowMs` defaults to the shape's first window.
 */
export function planCase({ id, shape: shapeName, families = [], seed = 1, windowMs }) {
  const shape = SHAPES[shapeName];
  const rng = prng(seed);
  const plan = basePlan(id, shape, rng);
  plan.windowMs = windowMs ?? shape.windows[0];
  for (const family of families) inject(plan, family, rng, shape);
  plan.kind =
    families.length === 0
      ? 'control'
      : families.length === 2
        ? 'pair'
        : FAMILIES[families[0]].code === null
          ? 'uncovered'
          : 'single';
  plan.causes = plan.families.map((f) => FAMILIES[f].code).filter((c) => c !== null);
  plan.description = plan.descriptions.join('; ') || 'correct pair (control)';
  return plan;
}

async function writeLog(connection, shape, path, seed, scale) {
  const rows = shape.generate(prng(seed * 31 + shape.name.length), scale);
  const ndjson = `${path}.ndjson`;
  writeFileSync(ndjson, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const columns = Object.entries(shape.columns)
    .map(([name, type]) => `'${name}': '${type}'`)
    .join(', ');
  const list = Object.keys(shape.columns).join(', ');
  await connection.run(
    `COPY (SELECT ${list} FROM read_ndjson('${ndjson}', columns = {${columns}})) TO '${path}' (FORMAT parquet)`,
  );
  return rows.length;
}

/**
 * Write every shape's log and every case's SQL and module under `dir`; returns runnable cases.
 * `scale` multiplies each log's events and keys alike (windows stay as dense): scale 10 gives
 * tens of thousands of differing rows, the diagnosis's sampled path.
 */
export async function writeCorpus(dir, plans, { seed = 1, scale = 1 } = {}) {
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const logs = {};
  try {
    for (const shape of Object.values(SHAPES)) {
      if (!plans.some((p) => p.shape === shape.name)) continue;
      const path = join(dir, `${shape.name}.parquet`);
      logs[shape.name] = { path, events: await writeLog(connection, shape, path, seed, scale) };
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return plans.map((plan) => {
    const shape = SHAPES[plan.shape];
    const caseDir = join(dir, plan.id);
    mkdirSync(caseDir, { recursive: true });
    const batchSqlPath = join(caseDir, 'features.sql');
    const streamModulePath = join(caseDir, 'features.ts');
    writeFileSync(batchSqlPath, batchSql(shape, plan));
    writeFileSync(streamModulePath, streamModule(shape, plan));
    return {
      id: plan.id,
      kind: plan.kind,
      shape: plan.shape,
      windowMs: plan.windowMs,
      families: plan.families,
      causes: plan.causes,
      description: plan.description,
      eventsPath: logs[plan.shape].path,
      batchSqlPath,
      streamModulePath,
      replay: {
        keyColumns: shape.keyColumns,
        timeColumn: 'ts',
        ...(plan.simulateDelay ? { simulateDelay: plan.simulateDelay } : {}),
      },
    };
  });
}
