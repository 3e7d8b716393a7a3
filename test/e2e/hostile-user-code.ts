// Hostile streaming modules for the hostile-input table (issue 11 §3 and §5): runaway user code
// — an endless loop, a heap without bound, a top-level await that never settles, millions of
// windows per event, a process.exit(), leftover timers — and a chatty or CommonJS module. Each
// must end with a clear message (or a normal verdict), never a hang or V8's own report.
import { readFileSync, writeFileSync } from 'node:fs';
import type { CaseContext, HostileCase } from './hostile-cases.js';

/** Replay of the zoo's time_shift fixture with a streaming module of this text (in the case's folder). */
const withStream =
  (name: string, text: (c: CaseContext) => string, extra: string[] = []) =>
  (c: CaseContext) => {
    const stream = c.out(name);
    writeFileSync(stream, text(c));
    return [
      '--events',
      c.f('events.parquet'),
      '--batch',
      c.f('features.sql'),
      '--stream',
      stream,
      '--key',
      'customer_id',
      '-q',
      ...extra,
    ];
  };

/** The fixture's (agreeing) stream module with lines before it. */
const fixtureAfter = (lines: string) => (c: CaseContext) =>
  `${lines}\n${readFileSync(c.f('features.ts'), 'utf8')}`;

/** A keyed feature over the fixture: orders per customer and hour, with this `add` body. */
const feature = (add: string, before = '', window = "tumbling('1h')") => `
import { defineStreamingFeature, hopping, tumbling } from 'skewcheck';
${before}
export default defineStreamingFeature({
  key: (e) => e.customer_id,
  window: ${window},
  init: () => ({ n: 0 }),
  add: (acc, e) => { acc.n++; ${add} },
  emit: (acc) => ({ orders_1h: acc.n }),
});`;

/** V8's out-of-memory report or a native stack: never the user's message. */
const NO_V8_REPORT = (_c: CaseContext, run: { stderr: string }) => {
  if (/FATAL ERROR|Last few GCs|JavaScript heap out of memory|Native stack/.test(run.stderr)) {
    throw new Error(`V8's own report reached the user:\n${run.stderr}`);
  }
};

export const userCodeCases: Omit<HostileCase, 'command'>[] = [
  {
    name: 'endless loop in add() stopped by --timeout',
    args: withStream('loop.ts', () => feature("if (String(e.order_id) === '100680') for (;;) {}"), [
      '--timeout',
      '1s',
    ]),
    exit: 2,
    message:
      /add\(\) did not return within 1 s \(--timeout\).*at event #3 in replay order, key \{"customer_id":"c033"\}, time 2026-03-02T00:20:45/s,
  },
  {
    name: 'endless loop in onEvent() stopped by --timeout',
    args: withStream('loop-processor.ts', () => 'export default { onEvent() { for (;;) {} } };', [
      '--timeout',
      '1s',
    ]),
    exit: 2,
    message: /onEvent\(\) did not return within 1 s \(--timeout\).*at event #1 in replay order/s,
  },
  {
    name: 'endless loop at top level stopped by --timeout',
    args: withStream('loop-top.ts', () => 'for (;;) {}\nexport default { onEvent() {} };', [
      '--timeout',
      '1s',
    ]),
    exit: 2,
    message: /did not finish loading within 30 s/,
  },
  {
    name: 'top-level await that never settles',
    args: withStream('tla.mts', () => `await new Promise(() => {});\n${feature('')}`),
    exit: 2,
    message: /did not finish loading: its top-level code awaits a promise that never settles/,
  },
  {
    name: "hopping('30d', '1s') refused on windows per event",
    args: withStream('hopping.ts', () => feature('', '', "hopping('30d', '1s')")),
    exit: 2,
    message: /put each event in 2,592,000 windows; at most 10,000 are supported/,
  },
  {
    name: 'heap without bound stopped by --memory-limit',
    args: withStream(
      'hog.ts',
      () => feature('for (let i = 0; i < 1e6; i++) hoard.push({ i });', 'const hoard: object[] = [];'),
      ['--memory-limit', '48'],
    ),
    exit: 2,
    message:
      /ran out of memory in (add|init|key)\(\): the replay worker's heap passed its ceiling of 48 MiB \(--memory-limit\)/,
    verify: NO_V8_REPORT,
  },
  {
    name: 'process.exit(0) inside add()',
    args: withStream('exit-add.ts', () => feature("if (String(e.order_id) === '100067') process.exit(0);")),
    exit: 2,
    message:
      /threw in add\(\): called process\.exit\(0\); a streaming module must not end the process, at event #4 /,
  },
  {
    name: 'process.exit(1) in onEnd()',
    args: withStream('exit-end.ts', () => 'export default { onEvent() {}, onEnd() { process.exit(1); } };'),
    exit: 2,
    message: /called process\.exit\(1\)/,
  },
  {
    name: 'setInterval left by the module does not keep the process alive',
    args: withStream('timer.ts', fixtureAfter('setInterval(() => {}, 50);\nsetTimeout(() => {}, 1e9);')),
    exit: 0,
  },
  {
    name: "the module's console.log goes to stderr, --json - stays valid",
    args: withStream(
      'chatty.ts',
      fixtureAfter("console.log('hello from the module');\nconsole.info('more');"),
      ['--json', '-'],
    ),
    exit: 0,
    message: /hello from the module/,
    verify: (_c, run) => {
      const result = JSON.parse(run.stdout) as { verdict: string };
      if (result.verdict !== 'pass') throw new Error(`verdict ${result.verdict}`);
    },
  },
  {
    name: 'CommonJS module (module.exports = …) accepted',
    args: withStream(
      'commonjs.cjs',
      () => `const { defineStreamProcessor } = require('skewcheck');
const HOUR = 3600000;
const open = new Map();
const emit = (ctx, customer_id, h) =>
  ctx.emit({ customer_id, window_start: h.start, window_end: h.start + HOUR, orders_1h: h.orders, spent_1h: h.cents / 100 });
module.exports = defineStreamProcessor({
  onEvent(e, ctx) {
    const start = Math.floor(e.ts.getTime() / HOUR) * HOUR;
    let h = open.get(e.customer_id);
    if (h && h.start !== start) { emit(ctx, e.customer_id, h); h = undefined; }
    if (!h) { h = { start, orders: 0, cents: 0 }; open.set(e.customer_id, h); }
    h.orders += 1;
    h.cents += Math.round(e.amount * 100);
  },
  onEnd(ctx) {
    for (const [c, h] of [...open].sort(([a], [b]) => (a < b ? -1 : 1))) emit(ctx, c, h);
  },
});`,
    ),
    exit: 0,
  },
  {
    name: 'keyed feature on --workers 2 agrees',
    args: withStream(
      'keyed.ts',
      () => `import { defineStreamingFeature, tumbling } from 'skewcheck';
export default defineStreamingFeature({
  key: (e) => e.customer_id,
  window: tumbling('1h'),
  init: () => ({ n: 0, cents: 0 }),
  add: (acc, e) => { acc.n++; acc.cents += Math.round(Number(e.amount) * 100); },
  emit: (acc) => ({ orders_1h: acc.n, spent_1h: acc.cents / 100 }),
});`,
      ['--workers', '2', '--json', '-'],
    ),
    exit: 0,
    on: 'stdout',
    message: /"verdict": ?"pass"/,
  },
  {
    name: '--timeout not a duration',
    args: withStream('ok.ts', fixtureAfter(''), ['--timeout', 'soon']),
    exit: 2,
    message: /--timeout must be a duration/,
  },
  {
    name: '--memory-limit zero',
    args: withStream('ok.ts', fixtureAfter(''), ['--memory-limit', '0']),
    exit: 2,
    message: /--memory-limit must be a whole number ≥ 1/,
  },
  {
    name: '--workers not a number',
    args: withStream('ok.ts', fixtureAfter(''), ['--workers', 'many']),
    exit: 2,
    message: /--workers must be a whole number ≥ 1/,
  },
];
