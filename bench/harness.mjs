// Harness overhead: read + order + decode + dispatch every event of a log to a module that does
// nothing. Target (issue #2): ≥ 2M events/s on the 2-core bench machine.
// Usage: npm run build && node bench/harness.mjs [log.parquet]   (default: bench/data/fraud-10m.parquet)
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { registerSource, Session } from '../dist/io/index.js';
import { inspectEventLog } from '../dist/replay/event-reader.js';
import { runHarness } from '../dist/replay/harness.js';

const log = process.argv[2] ?? 'bench/data/fraud-10m.parquet';
if (!existsSync(log)) {
  console.error(
    `${log} not found: generate it first with node bench/replay.mjs (or samples/fraud/generate.mjs)`,
  );
  process.exit(2);
}
const session = await Session.open();
const source = await registerSource(session, 'events', log);
const { rows } = await inspectEventLog(session, source, 'ts');
const noop = { kind: 'processor', path: 'noop', processor: { onEvent() {} } };
const started = performance.now();
const stats = await runHarness(session, source, noop, {
  keyColumns: ['user_id'],
  timeColumn: 'ts',
  outputTable: 'out',
});
const seconds = (performance.now() - started) / 1000;
session.close();
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
console.log(`log: ${log} (${rows.toLocaleString('en-US')} events)`);
console.log(
  `harness (no-op module): ${stats.events.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s = ${(stats.events / seconds / 1e6).toFixed(2)} M events/s`,
);
