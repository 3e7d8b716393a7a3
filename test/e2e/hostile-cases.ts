// The hostile-input table: what a careless or hostile user may feed each command, and what
// skewcheck must answer — an exit code and a message pattern. The harness (hostile.test.ts)
// also asserts, for every case, that no stack trace is printed, that the run ends before its
// timeout and that no input file changed. Fixture names refer to files written by
// writeHostileFixtures (hostile-fixtures.ts); `out(…)` is a path in the case's own folder.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { FEATURE_SQL } from './hostile-fixtures.js';
import { userCodeCases } from './hostile-user-code.js';

export type Command = 'replay' | 'diff' | 'drift' | 'check' | 'init' | 'report';

export interface CaseContext {
  /** A fixture by name (read-only inputs shared by all cases). */
  f: (name: string) => string;
  /** A path in this case's own, empty output folder. */
  out: (name: string) => string;
}

export interface HostileCase {
  command: Command;
  name: string;
  /** Arguments after the command name; may write files into the output folder first. */
  args: (c: CaseContext) => string[];
  exit: number;
  /** Must match stderr (or stdout with `on: 'stdout'`). */
  message?: RegExp;
  on?: 'stderr' | 'stdout';
  /** Extra assertions after the run; throw to fail. */
  verify?: (c: CaseContext, run: { stdout: string; stderr: string }) => void;
  /** Working directory (default: the case's output folder). */
  cwd?: (c: CaseContext) => string;
  /** stdout goes to /dev/full. */
  fullStdout?: boolean;
  /** A heavy case's own limit (default 60 s; the suite runs cases concurrently on a small machine). */
  timeoutMs?: number;
}

const write = (path: string, text: string): string => {
  writeFileSync(path, text);
  return path;
};
/** No control character but newline in a message (an ESC or CR from the input would be obeyed by a terminal). */
const noControlCharacters = (text: string) => {
  const bad = [...text].find(
    (ch) =>
      ch !== '\n' && (ch.charCodeAt(0) < 0x20 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f)),
  );
  if (bad !== undefined)
    throw new Error(`control character U+${bad.charCodeAt(0).toString(16)} in: ${JSON.stringify(text)}`);
};
const mustNotExist = (path: string) => {
  if (existsSync(path)) throw new Error(`${path} was written`);
};

// ---------------------------------------------------------------------------------------------
// replay: the zoo's time_shift case (800 events), batch SQL and fixed stream agree.
const replayArgs = (c: CaseContext, over: { events?: string; sql?: string; stream?: string } = {}) => [
  '--events',
  over.events ?? c.f('events.parquet'),
  '--batch',
  over.sql ?? c.f('features.sql'),
  '--stream',
  over.stream ?? c.f('features.ts'),
  '--key',
  'customer_id',
  '-q',
];
/** Replay with a batch SQL file of this text (written in the output folder). */
const withSql =
  (text: string, extra: string[] = []) =>
  (c: CaseContext) => [...replayArgs(c, { sql: write(c.out('case.sql'), text) }), ...extra];
/** Replay with a streaming module of this text. */
const withModule = (text: string) => (c: CaseContext) =>
  replayArgs(c, { stream: write(c.out('case.ts'), text) });
const SQL_ERROR = /SQL error in .*case\.sql:\d+/;
const FENCED = /without file or network access.*--allow-external-access/;

const replayCases: Omit<HostileCase, 'command'>[] = [
  { name: 'batch and stream agree', args: (c) => replayArgs(c), exit: 0 },
  {
    name: 'a skewed stream fails',
    args: (c) => replayArgs(c, { stream: c.f('features.skewed.ts') }),
    exit: 1,
  },
  { name: 'no --events', args: (c) => replayArgs(c).slice(2), exit: 2, message: /required option '--events/ },
  {
    name: 'events file missing',
    args: (c) => replayArgs(c, { events: c.out('nope.parquet') }),
    exit: 2,
    message: /file not found/,
  },
  {
    name: 'events file of 0 bytes',
    args: (c) => replayArgs(c, { events: c.f('zero-bytes.parquet') }),
    exit: 2,
    message: /empty \(0 bytes\)/,
  },
  {
    name: 'events truncated',
    args: (c) => replayArgs(c, { events: c.f('truncated.parquet') }),
    exit: 2,
    message: /cannot read event log/,
  },
  {
    name: 'events of unknown extension',
    args: (c) => replayArgs(c, { events: c.f('notes.txt') }),
    exit: 2,
    message: /cannot tell the format/,
  },
  {
    name: 'events empty folder',
    args: (c) => replayArgs(c, { events: c.f('empty-dir') }),
    exit: 2,
    message: /folder is empty/,
  },
  {
    name: 'events glob matching nothing',
    args: (c) => replayArgs(c, { events: `${c.f('empty-dir')}/*.parquet` }),
    exit: 2,
    message: /event log/,
  },
  {
    name: 'events with no rows',
    args: (c) => replayArgs(c, { events: c.f('events-empty.parquet') }),
    exit: 2,
    message: /has no rows/,
  },
  {
    name: '--format xlsx',
    args: (c) => [...replayArgs(c), '--format', 'xlsx'],
    exit: 2,
    message: /unknown format "xlsx"/,
  },
  {
    name: 'batch SQL missing',
    args: (c) => replayArgs(c, { sql: c.out('nope.sql') }),
    exit: 2,
    message: /nope\.sql/,
  },
  { name: 'batch SQL empty', args: withSql(''), exit: 2, message: /is empty/ },
  {
    name: 'batch SQL only comments',
    args: withSql('-- nothing here\n/* nor here */\n'),
    exit: 2,
    message: /no statements \(only comments or blanks\)/,
  },
  { name: 'batch SQL only semicolons', args: withSql(';;\n;'), exit: 2, message: /no statements/ },
  {
    name: 'batch SQL syntax error, with its line',
    args: withSql('SELECT 1;\n\nSELEC customer_id FROM events;'),
    exit: 2,
    message: /SQL error in .*case\.sql:3: Parser Error: syntax error at or near "SELEC"/,
  },
  {
    name: 'batch SQL unknown column',
    args: withSql('SELECT customer_id, nope FROM events'),
    exit: 2,
    message: /SQL error in .*case\.sql:\d+: Binder Error/,
  },
  {
    name: 'batch SQL runtime error',
    args: withSql("SELECT CAST('abc' AS INTEGER) AS x"),
    exit: 2,
    message: /Conversion Error/,
  },
  {
    name: 'batch SQL ends with DDL',
    args: withSql('CREATE TABLE t AS SELECT 1 AS a;'),
    exit: 2,
    message: /last statement .* must be a query/,
  },
  {
    name: 'batch SQL result with duplicate columns',
    args: withSql('SELECT customer_id, customer_id FROM events'),
    exit: 2,
    message: /two columns named "customer_id"/,
  },
  {
    name: 'DROP VIEW events',
    args: withSql(`DROP VIEW events;\n${FEATURE_SQL}`),
    exit: 2,
    message: SQL_ERROR,
  },
  {
    name: 'DROP TABLE events',
    args: withSql(`DROP TABLE events;\n${FEATURE_SQL}`),
    exit: 2,
    message: /Table with name events does not exist/,
  },
  {
    name: 'CREATE OR REPLACE VIEW events',
    args: withSql(`CREATE OR REPLACE VIEW events AS SELECT * FROM events LIMIT 10;\n${FEATURE_SQL}`),
    exit: 2,
    message: SQL_ERROR,
  },
  {
    name: 'the SQL narrows its own events: the stream still replays all (skew found)',
    args: withSql(
      `CREATE OR REPLACE TABLE events AS SELECT * FROM events WHERE customer_id < 'c005';\n${FEATURE_SQL}`,
    ),
    exit: 1,
  },
  {
    name: 'the SQL deletes events: the stream is unaffected (skew found)',
    args: withSql(`DELETE FROM events WHERE amount > 10;\n${FEATURE_SQL}`),
    exit: 1,
  },
  {
    name: 'the SQL drops skewcheck tables it cannot see',
    args: withSql(`DROP TABLE IF EXISTS __skewcheck_stream_output;\n${FEATURE_SQL}`),
    exit: 0,
  },
  {
    name: 'COPY … TO is fenced',
    args: (c) => withSql(`COPY (SELECT 1) TO '${c.out('pwn.csv')}';\n${FEATURE_SQL}`)(c),
    exit: 2,
    message: FENCED,
    verify: (c) => mustNotExist(c.out('pwn.csv')),
  },
  {
    name: 'COPY over the event log is fenced',
    args: (c) =>
      withSql(`COPY (SELECT 1 AS a) TO '${c.f('events.parquet')}' (USE_TMP_FILE false);\n${FEATURE_SQL}`)(c),
    exit: 2,
    message: FENCED,
  },
  {
    name: 'read_text(/etc/passwd) is fenced',
    args: withSql("SELECT * FROM read_text('/etc/passwd')"),
    exit: 2,
    message: FENCED,
  },
  {
    name: 'read_csv of another file is fenced',
    args: (c) => withSql(`SELECT * FROM read_csv('${c.f('l.csv')}')`)(c),
    exit: 2,
    message: FENCED,
  },
  { name: 'glob() is fenced', args: withSql("SELECT * FROM glob('/etc/*')"), exit: 2, message: FENCED },
  {
    name: 'ATTACH is fenced',
    args: (c) => withSql(`ATTACH '${c.out('x.db')}';\n${FEATURE_SQL}`)(c),
    exit: 2,
    message: FENCED,
    verify: (c) => mustNotExist(c.out('x.db')),
  },
  {
    name: 'INSTALL httpfs is fenced',
    args: withSql(`INSTALL httpfs;\n${FEATURE_SQL}`),
    exit: 2,
    message: FENCED,
  },
  {
    name: 'LOAD an extension is fenced',
    args: withSql(`LOAD httpfs;\n${FEATURE_SQL}`),
    exit: 2,
    message: /SQL error in/,
  },
  {
    name: 'SET enable_external_access is locked',
    args: withSql(`SET enable_external_access = true;\n${FEATURE_SQL}`),
    exit: 2,
    message: /configuration has been locked/,
  },
  {
    name: 'RESET lock_configuration is locked',
    args: withSql(`RESET lock_configuration;\n${FEATURE_SQL}`),
    exit: 2,
    message: /locked/,
  },
  {
    name: 'SET memory_limit is locked',
    args: withSql(`SET memory_limit = '100GB';\n${FEATURE_SQL}`),
    exit: 2,
    message: /locked/,
  },
  {
    name: '--allow-external-access lifts the fence',
    args: (c) =>
      withSql(`COPY (SELECT 1 AS a) TO '${c.out('allowed.csv')}';\n${FEATURE_SQL}`, [
        '--allow-external-access',
      ])(c),
    exit: 0,
    verify: (c) => {
      if (!existsSync(c.out('allowed.csv'))) throw new Error('COPY did not run');
    },
  },
  {
    name: 'stream module missing',
    args: (c) => replayArgs(c, { stream: c.out('nope.ts') }),
    exit: 2,
    message: /nope\.ts/,
  },
  {
    name: 'stream module with a syntax error',
    args: withModule('export default {{{'),
    exit: 2,
    message: /case\.ts/,
  },
  {
    name: 'stream module without a default export',
    args: withModule('export const x = 1;'),
    exit: 2,
    message: /default export/,
  },
  {
    name: 'stream module that throws at load',
    args: withModule("throw new Error('boom at load');"),
    exit: 2,
    message: /boom at load/,
  },
  {
    name: 'stream module that throws in onEvent',
    args: withModule("export default { onEvent() { throw new Error('boom in onEvent'); } };"),
    exit: 2,
    message: /boom in onEvent/,
  },
  {
    name: 'stream module that calls process.exit(0)',
    args: withModule('process.exit(0);\nexport default { onEvent() {} };'),
    exit: 2,
    message: /process\.exit|before its verdict/,
  },
  {
    name: 'stream emitting rows without the key',
    args: withModule('export default { onEvent(e, ctx) { ctx.emit({ x: 1 }); } };'),
    exit: 2,
    message: /customer_id/,
  },
  {
    name: '--key column missing',
    args: (c) => [...replayArgs(c).slice(0, 6), '--key', 'nope', '-q'],
    exit: 2,
    message: /nope/,
  },
  {
    name: '--key with SQL injection',
    args: (c) => [...replayArgs(c).slice(0, 6), '--key', 'customer_id"; DROP TABLE events; --', '-q'],
    exit: 2,
    message: /DROP TABLE events/,
  },
  {
    name: '--time-column missing',
    args: (c) => [...replayArgs(c), '--time-column', 'nope'],
    exit: 2,
    message: /nope/,
  },
  {
    name: '--json over the event log',
    args: (c) => [...replayArgs(c), '--json', c.f('events.parquet')],
    exit: 2,
    message: /would overwrite the event log/,
  },
  {
    name: '--report md over the batch SQL',
    args: (c) => [...replayArgs(c), '--report', `md=${c.f('features.sql')}`],
    exit: 2,
    message: /would overwrite the batch SQL file/,
  },
  {
    name: '--report html over the stream module',
    args: (c) => [...replayArgs(c), '--report', `html=${c.f('features.ts')}`],
    exit: 2,
    message: /would overwrite the streaming module/,
  },
  {
    name: '--mismatches over the event log',
    args: (c) => [
      ...replayArgs(c, { stream: c.f('features.skewed.ts') }),
      '--mismatches',
      c.f('events.parquet'),
    ],
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: '--json through a symlink to the batch SQL',
    args: (c) => {
      symlinkSync(c.f('features.sql'), c.out('link.json'));
      return [...replayArgs(c), '--json', c.out('link.json')];
    },
    exit: 2,
    message: /would overwrite the batch SQL file/,
  },
  {
    name: '--json through ../ to the event log',
    args: (c) => [...replayArgs(c), '--json', `${c.f('empty-dir')}/../events.parquet`],
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: '--abs-tol negative',
    args: (c) => [...replayArgs(c), '--abs-tol', '-1'],
    exit: 2,
    message: /non-negative/,
  },
  {
    name: '--tol malformed',
    args: (c) => [...replayArgs(c), '--tol', 'spent_1h'],
    exit: 2,
    message: /--tol expects/,
  },
  {
    name: '--simulate-delay malformed',
    args: (c) => [...replayArgs(c), '--simulate-delay', 'rate=lots'],
    exit: 2,
  },
  {
    name: '--arrival-column missing',
    args: (c) => [...replayArgs(c), '--arrival-column', 'nope'],
    exit: 2,
    message: /nope/,
  },
  {
    name: 'watermark flag in event-time order',
    args: (c) => [...replayArgs(c), '--allowed-lateness', '5m'],
    exit: 2,
    message: /arrival-order/,
  },
  {
    name: 'unknown flag',
    args: (c) => [...replayArgs(c), '--frobnicate'],
    exit: 2,
    message: /unknown option/,
  },
];

// ---------------------------------------------------------------------------------------------
// diff
const diffArgs = (c: CaseContext, left = 'l.parquet', right = 'r.parquet', key = 'k') => [
  '--left',
  c.f(left),
  '--right',
  c.f(right),
  '--key',
  key,
  '-q',
];
const jsonFile = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const diffCases: Omit<HostileCase, 'command'>[] = [
  { name: 'a table with itself', args: (c) => diffArgs(c, 'l.parquet', 'l.parquet'), exit: 0 },
  { name: 'two tables that differ', args: (c) => diffArgs(c), exit: 1 },
  {
    name: 'both sides without rows',
    args: (c) => diffArgs(c, 'zero-rows.parquet', 'zero-rows.parquet'),
    exit: 2,
    message: /nothing to compare/,
  },
  {
    name: 'two empty CSVs with a header',
    args: (c) => diffArgs(c, 'header-only.csv', 'header-only.csv'),
    exit: 2,
    message: /nothing to compare/,
  },
  { name: 'one side without rows', args: (c) => diffArgs(c, 'l.parquet', 'zero-rows.parquet'), exit: 1 },
  {
    name: 'BIGINT off by one fails with zero tolerance',
    args: (c) => [
      ...diffArgs(c, 'bigint-a.parquet', 'bigint-b.parquet'),
      '--abs-tol',
      '0',
      '--rel-tol',
      '0',
      '--json',
      c.out('r.json'),
    ],
    exit: 1,
    verify: (c) => {
      const r = jsonFile(c.out('r.json')) as { features: { max_abs_diff: number }[] };
      if (r.features[0]!.max_abs_diff !== 1) throw new Error(`max_abs_diff ${r.features[0]!.max_abs_diff}`);
    },
  },
  {
    name: 'BIGINT off by one is within the default relative tolerance',
    args: (c) => diffArgs(c, 'bigint-a.parquet', 'bigint-b.parquet'),
    exit: 0,
  },
  {
    name: 'DECIMAL(38,0) of 38 digits off by one',
    args: (c) => [
      ...diffArgs(c, 'decimal38-a.parquet', 'decimal38-b.parquet'),
      '--abs-tol',
      '0',
      '--rel-tol',
      '0',
    ],
    exit: 1,
  },
  {
    name: 'UBIGINT off by one',
    args: (c) => [
      ...diffArgs(c, 'ubigint-a.parquet', 'ubigint-b.parquet'),
      '--abs-tol',
      '0',
      '--rel-tol',
      '0',
    ],
    exit: 1,
  },
  {
    name: 'DECIMAL off by one unit in the last place',
    args: (c) => [
      ...diffArgs(c, 'decimal-a.parquet', 'decimal-b.parquet'),
      '--abs-tol',
      '0',
      '--rel-tol',
      '0',
    ],
    exit: 1,
  },
  {
    name: 'a --key with ESC and CR is shown, not obeyed, in the error',
    args: (c) => diffArgs(c, 'l.csv', 'l.csv', 'k\u001b[32mPASS\rfake'),
    exit: 2,
    message: /no key column "k␛\[32mPASS␍fake"/,
    verify: (_c, run) => noControlCharacters(run.stderr),
  },
  {
    name: 'a missing file whose name holds control characters',
    args: (c) => ['--left', c.out('x\u001b[2J\u0007.csv'), '--right', c.f('l.csv'), '--key', 'k', '-q'],
    exit: 2,
    message: /x␛\[2J␇\.csv/,
    verify: (_c, run) => noControlCharacters(run.stderr),
  },
  {
    name: '650 feature columns that agree',
    args: (c) => diffArgs(c, 'wide-a.csv', 'wide-a.csv'),
    exit: 0,
    timeoutMs: 180_000,
  },
  {
    name: '650 feature columns, one differs in a third of the rows',
    args: (c) => [...diffArgs(c, 'wide-a.csv', 'wide-b.csv'), '--json', c.out('r.json')],
    exit: 1,
    timeoutMs: 180_000,
    verify: (c) => {
      const result = JSON.parse(readFileSync(c.out('r.json'), 'utf8'));
      const differing = result.features.filter((f: { mismatches: number }) => f.mismatches > 0);
      if (differing.length !== 1 || differing[0].name !== 'f321' || differing[0].mismatches !== 40) {
        throw new Error(JSON.stringify(differing));
      }
    },
  },
  {
    name: 'BIGINT from CSV off by one',
    args: (c) => [...diffArgs(c, 'bigint-a.csv', 'bigint-b.csv'), '--abs-tol', '0', '--rel-tol', '0'],
    exit: 1,
  },
  { name: 'NaN = NaN and Infinity = Infinity', args: (c) => diffArgs(c, 'nan-a.csv', 'nan-a.csv'), exit: 0 },
  { name: 'Infinity vs -Infinity', args: (c) => diffArgs(c, 'nan-a.csv', 'nan-b.csv'), exit: 1 },
  {
    name: '--mismatches .json is valid JSON with NaN and Infinity',
    args: (c) => [...diffArgs(c, 'nan-a.csv', 'nan-b.csv'), '--mismatches', c.out('m.json')],
    exit: 1,
    verify: (c) => {
      const text = readFileSync(c.out('m.json'), 'utf8');
      JSON.parse(text);
      if (!text.includes('"Infinity"')) throw new Error(text);
    },
  },
  {
    name: '--mismatches .ndjson is valid JSON lines',
    args: (c) => [...diffArgs(c, 'nan-a.csv', 'nan-b.csv'), '--mismatches', c.out('m.ndjson')],
    exit: 1,
    verify: (c) => {
      for (const line of readFileSync(c.out('m.ndjson'), 'utf8').trim().split('\n')) JSON.parse(line);
    },
  },
  {
    name: '--mismatches of unknown extension',
    args: (c) => [...diffArgs(c), '--mismatches', c.out('m.xlsx')],
    exit: 2,
    message: /output format/,
  },
  { name: 'duplicated (key, window)', args: (c) => diffArgs(c, 'dup.csv', 'dup.csv'), exit: 1 },
  { name: 'a feature with two types', args: (c) => diffArgs(c, 'l.csv', 'typed.csv'), exit: 1 },
  {
    name: '--json - is parseable',
    args: (c) => [...diffArgs(c, 'l.parquet', 'l.parquet'), '--json', '-'],
    exit: 0,
    on: 'stdout',
    message: /"verdict": "pass"/,
  },
  {
    name: 'stdout on a full disk',
    args: (c) => diffArgs(c, 'l.parquet', 'l.parquet').filter((a) => a !== '-q'),
    fullStdout: true,
    exit: 2,
    message: /cannot write to stdout/,
  },
  {
    name: '--json over --left',
    args: (c) => [...diffArgs(c), '--json', c.f('l.parquet')],
    exit: 2,
    message: /would overwrite the --left/,
  },
  {
    name: '--json over --right',
    args: (c) => [...diffArgs(c), '--json', c.f('r.parquet')],
    exit: 2,
    message: /would overwrite the --right/,
  },
  {
    name: '--mismatches over --left',
    args: (c) => [...diffArgs(c), '--mismatches', c.f('l.parquet')],
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: '--report md over --left',
    args: (c) => [...diffArgs(c), '--report', `md=${c.f('l.parquet')}`],
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: '--report junit over --right',
    args: (c) => [...diffArgs(c), '--report', `junit=${c.f('r.parquet')}`],
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: '--report html through a symlink to --left',
    args: (c) => {
      symlinkSync(c.f('l.parquet'), c.out('link.html'));
      return [...diffArgs(c), '--report', `html=${c.out('link.html')}`];
    },
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: '--json through a symlinked folder to --right',
    args: (c) => {
      symlinkSync(c.f('.'), c.out('dir'));
      return [...diffArgs(c), '--json', c.out('dir/r.parquet')];
    },
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: 'no --key',
    args: (c) => diffArgs(c).filter((a) => a !== '--key' && a !== 'k'),
    exit: 2,
    message: /--key/,
  },
  {
    name: '--key missing on a side',
    args: (c) => diffArgs(c, 'l.parquet', 'r.parquet', 'nope'),
    exit: 2,
    message: /no key column "nope"/,
  },
  {
    name: '--key with SQL injection',
    args: (c) => diffArgs(c, 'l.parquet', 'r.parquet', "k\"; COPY (SELECT 1) TO 'x.csv'; --"),
    exit: 2,
    message: /no key column/,
  },
  {
    name: '--key with a quote',
    args: (c) => diffArgs(c, 'l.parquet', 'r.parquet', "k'"),
    exit: 2,
    message: /no key column/,
  },
  {
    name: '--time missing',
    args: (c) => [...diffArgs(c), '--time', 'nope'],
    exit: 2,
    message: /no window column "nope"/,
  },
  {
    name: '--time equal to --key',
    args: (c) => [...diffArgs(c), '--time', 'k'],
    exit: 2,
    message: /both as a key and as a window column/,
  },
  {
    name: '--tol for an unknown feature',
    args: (c) => [...diffArgs(c), '--tol', 'nope=abs:1'],
    exit: 2,
    message: /is not a feature/,
  },
  {
    name: '--tol for a text feature',
    args: (c) => [...diffArgs(c), '--tol', 'cat=abs:1'],
    exit: 2,
    message: /apply to numeric features/,
  },
  {
    name: '--tol malformed',
    args: (c) => [...diffArgs(c), '--tol', 'cnt=abs'],
    exit: 2,
    message: /--tol expects/,
  },
  {
    name: '--abs-tol NaN',
    args: (c) => [...diffArgs(c), '--abs-tol', 'NaN'],
    exit: 2,
    message: /non-negative number/,
  },
  {
    name: '--rel-tol Infinity',
    args: (c) => [...diffArgs(c), '--rel-tol', 'Infinity'],
    exit: 2,
    message: /non-negative number/,
  },
  {
    name: '--max-mismatch-rate above 1',
    args: (c) => [...diffArgs(c), '--max-mismatch-rate', '1.5'],
    exit: 2,
  },
  { name: '--sample negative', args: (c) => [...diffArgs(c), '--sample', '-3'], exit: 2 },
  {
    name: '--format xlsx',
    args: (c) => [...diffArgs(c), '--format', 'xlsx'],
    exit: 2,
    message: /unknown format/,
  },
  { name: '--left missing', args: (c) => [...diffArgs(c).slice(2)], exit: 2, message: /--left/ },
  {
    name: '--left not found',
    args: (c) => ['--left', c.out('nope.parquet'), ...diffArgs(c).slice(2)],
    exit: 2,
    message: /file not found/,
  },
  {
    name: '--left of 0 bytes',
    args: (c) => diffArgs(c, 'zero-bytes.parquet'),
    exit: 2,
    message: /empty \(0 bytes\)/,
  },
  {
    name: '--left truncated',
    args: (c) => diffArgs(c, 'truncated.parquet'),
    exit: 2,
    message: /cannot read --left/,
  },
  {
    name: '--left invalid JSON',
    args: (c) => diffArgs(c, 'broken.json'),
    exit: 2,
    message: /cannot read --left/,
  },
  { name: '--left a CSV of garbage', args: (c) => diffArgs(c, 'garbage.csv'), exit: 2 },
  {
    name: '--left an empty folder',
    args: (c) => diffArgs(c, 'empty-dir'),
    exit: 2,
    message: /folder is empty/,
  },
  { name: '--left a directory of non-parquet files', args: (c) => diffArgs(c, 'text-dir'), exit: 2 },
  {
    name: '--left a glob matching nothing',
    args: (c) => ['--left', `${c.f('empty-dir')}/*.parquet`, ...diffArgs(c).slice(2)],
    exit: 2,
  },
  { name: 'unknown flag', args: (c) => [...diffArgs(c), '--frobnicate'], exit: 2, message: /unknown option/ },
];

// ---------------------------------------------------------------------------------------------
// drift
const driftArgs = (c: CaseContext, train = 'train.parquet', prod = 'prod.parquet') => [
  '--train',
  c.f(train),
  '--prod',
  c.f(prod),
  '--exclude',
  'user_id,snapshot_ts',
  '-q',
];
const driftCases: Omit<HostileCase, 'command'>[] = [
  { name: 'a snapshot with itself', args: (c) => driftArgs(c, 'train.parquet', 'train.parquet'), exit: 0 },
  { name: 'drifted snapshots', args: (c) => driftArgs(c), exit: 1 },
  { name: 'no --train', args: (c) => driftArgs(c).slice(2), exit: 2, message: /--train/ },
  {
    name: '--train not found',
    args: (c) => ['--train', c.out('nope.parquet'), ...driftArgs(c).slice(2)],
    exit: 2,
    message: /file not found/,
  },
  {
    name: '--prod of 0 bytes',
    args: (c) => driftArgs(c, 'train.parquet', 'zero-bytes.parquet'),
    exit: 2,
    message: /empty/,
  },
  { name: '--prod truncated', args: (c) => driftArgs(c, 'train.parquet', 'truncated.parquet'), exit: 2 },
  {
    name: 'snapshots without rows',
    args: (c) => ['--train', c.f('zero-rows.parquet'), '--prod', c.f('zero-rows.parquet'), '-q'],
    exit: 2,
    message: /no rows|nothing/,
  },
  {
    name: '±Infinity in a numeric feature',
    args: (c) => ['--train', c.f('inf-train.csv'), '--prod', c.f('inf-train.csv'), '-q'],
    exit: 0,
  },
  {
    name: '--features naming a missing column',
    args: (c) => [...driftArgs(c), '--features', 'nope'],
    exit: 2,
    message: /nope/,
  },
  {
    name: '--features with SQL injection',
    args: (c) => [...driftArgs(c), '--features', 'amount"; DROP TABLE x; --'],
    exit: 2,
  },
  {
    name: '--exclude naming a missing column',
    args: (c) => [...driftArgs(c).slice(0, 4), '--exclude', 'nope', '-q'],
    exit: 2,
    message: /nope/,
  },
  { name: '--alpha 0', args: (c) => [...driftArgs(c), '--alpha', '0'], exit: 2 },
  { name: '--alpha 1', args: (c) => [...driftArgs(c), '--alpha', '1'], exit: 2 },
  { name: '--correction bogus', args: (c) => [...driftArgs(c), '--correction', 'bogus'], exit: 2 },
  { name: '--max-drifted malformed', args: (c) => [...driftArgs(c), '--max-drifted', 'lots'], exit: 2 },
  { name: '--min-effect above 1', args: (c) => [...driftArgs(c), '--min-effect', '2'], exit: 2 },
  {
    name: '--json over --train',
    args: (c) => [...driftArgs(c), '--json', c.f('train.parquet')],
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: '--report md over --prod',
    args: (c) => [...driftArgs(c), '--report', `md=${c.f('prod.parquet')}`],
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: '--report with an unknown format',
    args: (c) => [...driftArgs(c), '--report', `pdf=${c.out('x.pdf')}`],
    exit: 2,
  },
  {
    name: 'unknown flag',
    args: (c) => [...driftArgs(c), '--frobnicate'],
    exit: 2,
    message: /unknown option/,
  },
];

// ---------------------------------------------------------------------------------------------
// check: configs are written into the case's folder; paths in them point at the fixtures, which
// are outside that folder, so these configs opt in with `allowPathsOutside: true` (the cases
// about that fence write their config without it, through `fencedConfig`).
const fencedConfig =
  (text: string, name = 'skewcheck.yaml') =>
  (c: CaseContext) => ['--config', write(c.out(name), text.replaceAll('@', `${c.f('.')}/`)), '-q'];
const config = (text: string, name = 'skewcheck.yaml') =>
  fencedConfig(
    name.endsWith('.ts') || text.includes('allowPathsOutside') ? text : `${text}\nallowPathsOutside: true\n`,
    name,
  );
const FEATURE_SET = `featureSets:
  orders:
    events: @events.parquet
    batch: @features.sql
    stream: @features.ts
    key: customer_id
`;
const DRIFT = `driftChecks:
  snapshots:
    train: @train.parquet
    prod: @prod.parquet
    exclude: [user_id, snapshot_ts]
`;
const aliasBomb = () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\nfeatureSets: *a9\n`;
};
const gitRepo = (c: CaseContext, files: Record<string, string>) => {
  for (const [name, text] of Object.entries(files)) write(c.out(name), text);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: c.out('.'),
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'fixture');
};
const checkCases: Omit<HostileCase, 'command'>[] = [
  { name: 'a passing feature set', args: config(FEATURE_SET), exit: 0 },
  { name: 'a drifted drift check', args: config(DRIFT), exit: 1 },
  {
    name: 'a config path outside its folder is refused, naming the key and line',
    args: fencedConfig(FEATURE_SET),
    exit: 2,
    message:
      /skewcheck\.yaml:3: featureSets\.orders\.events: .* is outside the project folder .*allowPathsOutside: true/s,
  },
  {
    name: 'a config path going up with .. is refused',
    args: fencedConfig(DRIFT.replace('@train.parquet', '../../train.parquet')),
    exit: 2,
    message: /driftChecks\.snapshots\.train: "\.\.\/\.\.\/train\.parquet" is outside the project folder/,
  },
  {
    name: 'a symlink inside the folder leading outside is refused',
    args: (c) => {
      symlinkSync(c.f('.'), c.out('data'));
      return fencedConfig(DRIFT.replaceAll('@', 'data/'))(c);
    },
    exit: 2,
    message:
      /driftChecks\.snapshots\.train: "data\/train\.parquet" is outside the project folder .*; it resolves to /s,
  },
  {
    name: 'a report path outside the folder is refused before anything runs',
    args: (c) => {
      mkdirSync(c.out('project'));
      for (const file of ['train.parquet', 'prod.parquet']) copyFileSync(c.f(file), c.out(`project/${file}`));
      return fencedConfig(
        `reports:\n  markdown: ../report.md\n${DRIFT.replaceAll('@', '')}`,
        'project/skewcheck.yaml',
      )(c);
    },
    exit: 2,
    message: /reports\.markdown: "\.\.\/report\.md" is outside the project folder/,
    verify: (c) => mustNotExist(c.out('report.md')),
  },

  {
    name: 'no config anywhere',
    args: () => ['-q'],
    cwd: (c) => {
      mkdirSync(c.out('empty'), { recursive: true });
      return c.out('empty');
    },
    exit: 2,
    message: /no skewcheck\.yaml/,
  },
  {
    name: '--config not found',
    args: (c) => ['--config', c.out('nope.yaml')],
    exit: 2,
    message: /not found/,
  },
  { name: 'an empty config', args: config(''), exit: 2, message: /nothing to check/ },
  { name: 'a config of {}', args: fencedConfig('{}\n'), exit: 2, message: /nothing to check/ },
  {
    name: 'a config with only reports',
    args: config('reports:\n  markdown: out.md\n'),
    exit: 2,
    message: /nothing to check/,
  },
  {
    name: 'empty featureSets and driftChecks',
    args: config('featureSets: {}\ndriftChecks: {}\n'),
    exit: 2,
    message: /nothing to check/,
  },
  {
    name: 'invalid YAML, with its line',
    args: config('featureSets:\n  a: [\n'),
    exit: 2,
    message: /invalid YAML/,
  },
  {
    name: 'a YAML alias bomb',
    args: (c) => config(aliasBomb())(c),
    exit: 2,
    message: /invalid YAML.*alias/i,
  },
  { name: 'a YAML list at the top', args: fencedConfig('- a\n- b\n'), exit: 2, message: /invalid config/ },
  {
    name: 'an unknown key, with its line',
    args: config(`${FEATURE_SET}    colour: blue\n`),
    exit: 2,
    message: /:7: .*unknown key "colour"/,
  },
  {
    name: 'a wrong type',
    args: config(FEATURE_SET.replace('key: customer_id', 'key: 42')),
    exit: 2,
    message: /invalid config/,
  },
  {
    name: 'a bad check name',
    args: config('featureSets:\n  "a b":\n    events: x\n    batch: y\n    stream: z\n    key: k\n'),
    exit: 2,
    message: /invalid config/,
  },
  {
    name: 'an unknown check named',
    args: (c) => [...config(FEATURE_SET)(c), 'nope'],
    exit: 2,
    message: /no check named "nope"/,
  },
  {
    name: 'missing events: that check errors',
    args: (c) => [...config(FEATURE_SET.replace('events.parquet', 'nope.parquet'))(c), '--json', '-'],
    exit: 2,
    on: 'stdout',
    message: /"status": "error"[\s\S]*file not found/,
  },
  {
    name: 'a fenced SQL file: that check errors with the SQL error',
    args: (c) => {
      write(c.out('evil.sql'), `COPY (SELECT 1) TO '${c.out('pwn.csv')}';\n${FEATURE_SQL}`);
      return config(FEATURE_SET.replace('@features.sql', c.out('evil.sql')))(c);
    },
    exit: 2,
    verify: (c) => mustNotExist(c.out('pwn.csv')),
  },
  {
    name: 'allowExternalAccess: true lifts the fence',
    args: (c) => {
      write(c.out('open.sql'), `COPY (SELECT 1 AS a) TO '${c.out('allowed.csv')}';\n${FEATURE_SQL}`);
      return config(
        `${FEATURE_SET.replace('@features.sql', c.out('open.sql'))}    allowExternalAccess: true\n`,
      )(c);
    },
    exit: 0,
    verify: (c) => {
      if (!existsSync(c.out('allowed.csv'))) throw new Error('COPY did not run');
    },
  },
  {
    name: 'skewcheck.config.ts that calls process.exit(0)',
    args: config('process.exit(0);\nexport default {};\n', 'skewcheck.config.ts'),
    exit: 2,
    message: /before its verdict.*process\.exit\(0\)/s,
  },
  {
    name: 'skewcheck.config.ts that throws',
    args: config("throw new Error('config boom');\n", 'skewcheck.config.ts'),
    exit: 2,
    message: /config boom/,
  },
  {
    name: 'skewcheck.config.ts with a syntax error',
    args: config('export default {{{;\n', 'skewcheck.config.ts'),
    exit: 2,
    message: /cannot load the config/,
  },
  {
    name: 'skewcheck.config.ts exporting a number',
    args: config('export default 42;\n', 'skewcheck.config.ts'),
    exit: 2,
    message: /invalid config/,
  },
  {
    name: 'baseline that is not JSON',
    args: (c) => {
      write(c.out('skewcheck.baseline.json'), '{nope');
      return config(FEATURE_SET)(c);
    },
    exit: 2,
    message: /not valid JSON/,
  },
  {
    name: 'baseline expiring 9999-99-99',
    args: (c) => {
      write(
        c.out('skewcheck.baseline.json'),
        JSON.stringify({ version: 1, checks: { orders: { reason: 'r', expires: '9999-99-99' } } }),
      );
      return config(FEATURE_SET)(c);
    },
    exit: 2,
    message: /real date/,
  },
  {
    name: 'baseline expiring 2027-02-30',
    args: (c) => {
      write(
        c.out('skewcheck.baseline.json'),
        JSON.stringify({ version: 1, checks: { orders: { reason: 'r', expires: '2027-02-30' } } }),
      );
      return config(FEATURE_SET)(c);
    },
    exit: 2,
    message: /real date/,
  },
  {
    name: '--expires 2027-02-30',
    args: (c) => [...config(DRIFT)(c), '--update-baseline', '--expires', '2027-02-30'],
    exit: 2,
    message: /real date/,
  },
  {
    name: '--expires 9999-99-99',
    args: (c) => [...config(DRIFT)(c), '--update-baseline', '--expires', '9999-99-99'],
    exit: 2,
    message: /real date/,
  },
  {
    name: '--reason without --update-baseline',
    args: (c) => [...config(DRIFT)(c), '--reason', 'x'],
    exit: 2,
    message: /go with --update-baseline/,
  },
  {
    name: '--update-baseline writes an accepted entry',
    args: (c) => [...config(DRIFT)(c), '--update-baseline', '--reason', 'known', '--expires', '2099-12-31'],
    exit: 0,
    verify: (c) => {
      const b = jsonFile(c.out('skewcheck.baseline.json')) as { checks: Record<string, unknown> };
      if (!b.checks.snapshots) throw new Error('no entry');
    },
  },
  {
    name: '--json over the config',
    args: (c) => {
      const args = config(DRIFT)(c);
      return [...args, '--json', args[1]!];
    },
    exit: 2,
    message: /would overwrite the config/,
  },
  {
    name: '--report md over the event log',
    args: (c) => [...config(FEATURE_SET)(c), '--report', `md=${c.f('events.parquet')}`],
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: 'reports: in the config pointing at the batch SQL',
    args: config(`${FEATURE_SET}reports:\n  markdown: @features.sql\n`),
    exit: 2,
    message: /would overwrite/,
  },
  {
    name: '--changed-since outside a git repository',
    args: (c) => [...config(DRIFT)(c), '--changed-since', 'HEAD'],
    exit: 1,
  },
  {
    name: '--changed-since an unknown ref',
    args: (c) => {
      gitRepo(c, { 'skewcheck.yaml': `${DRIFT.replaceAll('@', `${c.f('.')}/`)}allowPathsOutside: true\n` });
      return ['--config', c.out('skewcheck.yaml'), '--changed-since', 'no-such-ref', '-q'];
    },
    exit: 2,
    message: /not a commit/,
  },
  {
    name: '--changed-since with nothing changed skips the check',
    args: (c) => {
      gitRepo(c, { 'skewcheck.yaml': `${DRIFT.replaceAll('@', `${c.f('.')}/`)}allowPathsOutside: true\n` });
      return ['--config', c.out('skewcheck.yaml'), '--changed-since', 'HEAD', '--json', '-'];
    },
    exit: 0,
    on: 'stdout',
    message: /"skipped": 1/,
  },
  {
    name: '--changed-since runs a module with a computed import, and says why',
    args: (c) => {
      const sources = readFileSync(c.f('features.ts'), 'utf8');
      gitRepo(c, {
        'skewcheck.yaml': `${FEATURE_SET.replaceAll('@features.ts', 'features.ts').replaceAll(
          '@',
          `${c.f('.')}/`,
        )}allowPathsOutside: true\n`,
        'features.ts': `const helper = './helper' + '.ts';\nvoid import(helper).catch(() => undefined);\n${sources}`,
      });
      return ['--config', c.out('skewcheck.yaml'), '--changed-since', 'HEAD', '--json', '-'];
    },
    exit: 0,
    on: 'stdout',
    message: /computed import/,
  },
  {
    name: 'unknown flag',
    args: (c) => [...config(DRIFT)(c), '--frobnicate'],
    exit: 2,
    message: /unknown option/,
  },
];

// ---------------------------------------------------------------------------------------------
// init
const initCases: Omit<HostileCase, 'command'>[] = [
  {
    name: 'scaffolds into an empty folder',
    args: (c) => ['--dir', c.out('project')],
    exit: 0,
    verify: (c) => {
      if (!existsSync(c.out('project/skewcheck.yaml'))) throw new Error('no skewcheck.yaml');
    },
  },
  {
    name: 'leaves existing files alone without --force',
    args: (c) => {
      mkdirSync(c.out('p'), { recursive: true });
      write(c.out('p/skewcheck.yaml'), '# mine\n');
      return ['--dir', c.out('p')];
    },
    exit: 0,
    verify: (c) => {
      if (readFileSync(c.out('p/skewcheck.yaml'), 'utf8') !== '# mine\n') throw new Error('overwritten');
    },
  },
  { name: '--dir is a file', args: (c) => ['--dir', write(c.out('plain'), 'x')], exit: 2 },
  { name: '--dir without a value', args: () => ['--dir'], exit: 2, message: /argument missing/ },
  { name: 'unknown flag', args: () => ['--frobnicate'], exit: 2, message: /unknown option/ },
  { name: 'a positional argument', args: () => ['extra'], exit: 2 },
  { name: '--help', args: () => ['--help'], exit: 0, on: 'stdout', message: /Usage: skewcheck init/ },
];

// ---------------------------------------------------------------------------------------------
// report
const reportCases: Omit<HostileCase, 'command'>[] = [
  {
    name: 're-renders a saved diff result',
    args: (c) => [c.f('result.json'), '--format', 'md'],
    exit: 0,
    on: 'stdout',
    message: /skewcheck/i,
  },
  { name: 'result file missing', args: (c) => [c.out('nope.json')], exit: 2, message: /nope\.json/ },
  { name: 'result file not JSON', args: (c) => [write(c.out('x.json'), '{nope')], exit: 2 },
  { name: 'result file empty', args: (c) => [write(c.out('x.json'), '')], exit: 2 },
  { name: 'result file a JSON array', args: (c) => [write(c.out('x.json'), '[1, 2]')], exit: 2 },
  {
    name: 'result of an unknown command',
    args: (c) => [write(c.out('x.json'), '{"schema_version": 1, "command": "frob"}')],
    exit: 2,
  },
  {
    name: 'result breaking its schema',
    args: (c) => [write(c.out('x.json'), '{"schema_version": 1, "command": "diff", "verdict": 7}')],
    exit: 2,
  },
  {
    name: 'result nested 10,000 deep',
    args: (c) => [write(c.out('x.json'), `${'['.repeat(10_000)}${']'.repeat(10_000)}`)],
    exit: 2,
  },
  { name: 'unknown --format', args: (c) => [c.f('result.json'), '--format', 'pdf'], exit: 2 },
  {
    name: '-o over the result itself',
    args: (c) => [c.f('result.json'), '--format', 'md', '-o', c.f('result.json')],
    exit: 2,
    message: /would overwrite the result/,
  },
  {
    name: '-o over another input through a symlink',
    args: (c) => {
      symlinkSync(c.f('result.json'), c.out('link.md'));
      return [c.f('result.json'), '-o', c.out('link.md')];
    },
    exit: 2,
    message: /would overwrite/,
  },
  { name: 'no result argument', args: () => [], exit: 2, message: /missing required argument/ },
];

const tag = (command: Command, cases: Omit<HostileCase, 'command'>[]): HostileCase[] =>
  cases.map((c) => ({ ...c, command }));

export const HOSTILE_CASES: HostileCase[] = [
  ...tag('replay', replayCases),
  ...tag('replay', userCodeCases),
  ...tag('diff', diffCases),
  ...tag('drift', driftCases),
  ...tag('check', checkCases),
  ...tag('init', initCases),
  ...tag('report', reportCases),
];
