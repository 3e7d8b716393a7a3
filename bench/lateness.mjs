// Arrival-order replay on a long log: memory must follow the windows open at one time, not
// the windows closed so far. Replays the fraud features over a log with simulated upload
// delays (1% of events up to 4 h late), a 5-minute watermark delay and 1 h allowed lateness,
// and prints windows opened vs the most open at once, late events, time and peak heap.
// Usage: npm run build && node bench/lateness.mjs [log.parquet]   (default: bench/data/fraud-10m.parquet)
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { registerSource, Session } from '../dist/io/index.js';
import { simulatedDelayOrder } from '../dist/replay/arrival.js';
import { inspectEventLog } from '../dist/replay/event-reader.js';
import { loadStreamingModule, parseSimulatedDelay, runHarness } from '../dist/replay/index.js';

const log = process.argv[2] ?? 'bench/data/fraud-10m.parquet';
if (!existsSync(log)) {
  console.error(`${log} not found: generate it first with node bench/generate.mjs`);
  process.exit(2);
}
const module = await loadStreamingModule('samples/fraud/features.ts');
const session = await Session.open();
const source = await registerSource(session, 'events', log);
const { rows } = await inspectEventLog(session, source, 'ts');
const { order, delayedEvents } = await simulatedDelayOrder(
  session,
  source,
  'ts',
  parseSimulatedDelay('rate=0.01,max=4h'),
  300_000,
);
let peakHeap = 0;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 50);
const started = performance.now();
const stats = await runHarness(session, source, module, {
  keyColumns: ['user_id'],
  timeColumn: 'ts',
  outputTable: 'out',
  order,
  allowedLatenessMs: 3_600_000,
});
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
session.close();
const n = (x) => x.toLocaleString('en-US');
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
console.log(`log: ${log} (${n(rows)} events, ${n(delayedEvents)} delayed by up to 4 h)`);
console.log(
  `arrival-order replay in ${seconds.toFixed(2)} s (${(stats.events / seconds / 1e6).toFixed(2)} M events/s)`,
);
console.log(
  `windows opened ${n(stats.windows_opened)}, most open at once ${n(stats.max_open_windows)}, late events ${n(stats.late_events)}`,
);
console.log(
  `peak JS heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB, RSS at end ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);
