// Streaming phase alone with the real fraud feature module (no batch SQL, no diff): events/s
// including window bookkeeping, the module's work and loading the emitted rows into DuckDB.
// Usage: npm run build && node bench/harness-feature.mjs [log.parquet] [module.ts]
import { registerSource, Session } from '../dist/io/index.js';
import { inspectEventLog } from '../dist/replay/event-reader.js';
import { loadStreamingModule, runHarness } from '../dist/replay/index.js';

const log = process.argv[2] ?? 'bench/data/fraud-10m.parquet';
const module = await loadStreamingModule(process.argv[3] ?? 'samples/fraud/features.ts');
const session = await Session.open();
const source = await registerSource(session, 'events', log);
await inspectEventLog(session, source, 'ts');
const started = performance.now();
const cpu0 = process.cpuUsage();
const stats = await runHarness(session, source, module, {
  keyColumns: ['user_id'],
  timeColumn: 'ts',
  outputTable: 'out',
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
session.close();
console.log(
  `${log}: ${stats.events.toLocaleString('en-US')} events, ${stats.rows_emitted.toLocaleString('en-US')} rows emitted, ` +
    `max ${stats.max_open_windows} open windows, ${seconds.toFixed(2)} s = ${(stats.events / seconds / 1e6).toFixed(2)} M events/s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (all threads)`,
);
