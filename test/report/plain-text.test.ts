// Control characters from the data are shown, not obeyed, in every plain-text report (terminal,
// Markdown, JUnit): a key, feature name, note or category holding ESC, CR, LF, another C0/C1
// control or a bidi override cannot colour the log, overwrite or add a line (a fake PASS), or
// reorder the text. STRUCT, LIST and MAP values print as readable text, not [object Object].
import { DuckDBInstance, JSDuckDBValueConverter } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { CheckRunResult } from '../../src/check/types.js';
import type { DiffResult } from '../../src/diff/index.js';
import { jsonValue } from '../../src/diff/json-value.js';
import type { DriftReport } from '../../src/report/drift-text.js';
import { value } from '../../src/report/format.js';
import { type ReportResult, renderReport } from '../../src/report/index.js';
import { plainText } from '../../src/report/plain-text.js';
import { checkRun, driftFail, replayFail } from './fixtures.js';

const FAKE = 'PASS batch and stream agree';

/** What a hostile value holds, and the payload each must not let through. */
const HOSTILE: [string, string][] = [
  ['ESC colour', `\u001b[32m${FAKE}\u001b[0m`],
  ['CR overwrite', `u1\r${FAKE}`],
  ['LF new line', `u1\n${FAKE}`],
  ['CRLF', `u1\r\n${FAKE}`],
  ['NUL, BEL, BS, VT, FF', 'a\u0000b\u0007c\bd\u000be\u000cf'],
  ['tab', 'a\tb'],
  ['DEL', 'a\u007fb'],
  ['C1 CSI', `a\u009b32m${FAKE}`],
  ['C1 NEL', `a\u0085${FAKE}`],
  ['OSC hyperlink', '\u001b]8;;https://evil.test\u0007click\u001b]8;;\u0007'],
  ['bidi override', 'user\u202eSSAP'],
  ['bidi embeddings', '\u202aa\u202bb\u202cc\u202dd'],
  ['bidi isolates', '\u2066a\u2067b\u2068c\u2069'],
  ['bidi marks', 'a\u200eb\u200fc\u061cd'],
  ['line and paragraph separators', `a\u2028${FAKE}\u2029`],
];

/** A character no plain-text report may hold (LF only as its own line break). */
function isUnsafe(code: number): boolean {
  if (code === 0x0a) return false;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  if ([0x061c, 0x200e, 0x200f, 0x2028, 0x2029].includes(code)) return true;
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}
const unsafeIn = (text: string) => [...text].filter((c) => isUnsafe(c.codePointAt(0)!));

/** Every place a diff result carries data: feature, key (name and value), side, source, notes. */
function diffWith(text: string): DiffResult {
  const result = replayFail();
  result.features[2]!.name = `f${text}`;
  result.sides.left.label = `batch${text}`;
  result.sides.right.source = `stream${text}.ts`;
  result.keys = [`user_id${text}`];
  result.top_keys = result.top_keys.map((k) => ({
    ...k,
    key: { [`user_id${text}`]: `k${text}` },
    features: [`f${text}`],
  }));
  result.samples = result.samples.map((s) => ({
    ...s,
    key: { user_id: `k${text}` },
    window: { window_start: `w${text}` },
    differences: s.differences.map((d) => ({
      ...d,
      feature: `f${text}`,
      left: `l${text}`,
      right: `r${text}`,
    })),
  }));
  result.reasons = [`reason ${text}`];
  result.notes = [`note ${text}`];
  result.diagnoses![0]!.message = `message ${text}`;
  return result;
}

function driftWith(text: string): DriftReport {
  const result = driftFail();
  result.features[0]!.name = `f${text}`;
  result.features[0]!.notes = [`note ${text}`];
  const country = result.features.find((f) => f.name === 'country')!;
  country.categorical!.top_shifts[0]!.category = `c${text}`;
  country.categorical!.new_categories.values = [`n${text}`];
  result.snapshots.prod.source = `prod${text}.parquet`;
  result.notes = [`note ${text}`];
  return result;
}

function checkWith(text: string): CheckRunResult {
  const result = checkRun();
  result.checks[0]!.headline = `headline ${text}`;
  result.checks[0]!.result = diffWith(text);
  result.checks[3]!.error = `error ${text}\n  LINE 3: ${text}`;
  result.notes = [`note ${text}`];
  return result;
}

/** Colour codes the terminal renderer itself writes (chalk and the table borders). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the colour codes start with ESC
const stripSgr = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

const KINDS: [string, (text: string) => ReportResult][] = [
  ['replay', diffWith],
  ['drift', driftWith],
  ['check', checkWith],
];

describe('plain-text reports show control characters from the data', () => {
  for (const [kind, make] of KINDS) {
    for (const [what, text] of HOSTILE) {
      it(`${kind}: ${what}`, () => {
        const result = make(text);
        const outputs = {
          terminal: renderReport('terminal', result, { color: false }),
          'terminal (colour)': stripSgr(renderReport('terminal', result, { color: true })),
          md: renderReport('md', result),
          junit: renderReport('junit', result),
        };
        for (const [format, output] of Object.entries(outputs)) {
          expect(unsafeIn(output), format).toEqual([]);
          expect(output.includes(text), `${format} has the raw value`).toBe(false);
          // No line of the report starts with the payload (only the verdict line may say PASS).
          const fakes = output.split('\n').filter((line) => line.trimStart().startsWith(FAKE));
          expect(fakes, format).toEqual([]);
        }
        expect(outputs.terminal).toContain(plainText(text));
      });
    }
  }

  it('names each control character visibly', () => {
    expect(plainText('a\u001b[31mb\rc\nd\u0000\u007f\u009b\u202e\u2066')).toBe(
      'a␛[31mb␍c⏎d␀␡<U+009B><U+202E><U+2066>',
    );
    expect(plainText('line 1\n  line 2\r', true)).toBe('line 1\n  line 2␍');
    expect(plainText('plain ünïcödé ✓ 特徴 emoji 🎉')).toBe('plain ünïcödé ✓ 特徴 emoji 🎉');
  });

  it("shows a check's multi-line error on one line, so no line of it can pose as the verdict", () => {
    const text = renderReport('terminal', checkWith('x\ny\u001b'), { color: false });
    expect(text).toContain('broken: error x⏎y␛⏎  LINE 3: x⏎y␛\n');
  });
});

describe('STRUCT, LIST and MAP values', () => {
  it('read from DuckDB, become one line of text in the result', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const reader = await connection.runAndReadAll(
      `SELECT {'a': 1, 'b': [1, 2], 'c': 'it''s'} AS s, MAP {'k': 1.5} AS m, [[1], [], NULL] AS l,
              {'d': DATE '2026-01-01', 'n': NULL, 'big': 12345678901234567890::HUGEINT} AS t,
              '\\x1B\\x41'::BLOB AS b`,
    );
    const row = reader.convertRowObjects(JSDuckDBValueConverter)[0]!;
    connection.closeSync();
    db.closeSync();
    expect(jsonValue(row.s)).toBe("{'a': 1, 'b': [1, 2], 'c': 'it''s'}");
    expect(jsonValue(row.m)).toBe("[{'key': 'k', 'value': 1.5}]");
    expect(jsonValue(row.l)).toBe('[[1], [], NULL]');
    expect(jsonValue(row.t)).toBe(
      "{'d': '2026-01-01T00:00:00.000Z', 'n': NULL, 'big': 12345678901234567890}",
    );
    expect(jsonValue(row.b)).toBe('\\x1BA');
  });

  it('print readably in every plain-text report', () => {
    expect(value({ a: 1, b: [1, 2n], c: null })).toBe("{'a': 1, 'b': [1, 2], 'c': NULL}");
    expect(value([{ key: 'k', value: 'v' }])).toBe("[{'key': 'k', 'value': 'v'}]");
    const result = replayFail();
    const key = { user_id: { org: 'acme', ids: [1, 2] } } as unknown as Record<string, string>;
    result.top_keys[0]!.key = key;
    result.samples[0]!.key = key;
    result.samples[0]!.differences[0]!.left = { a: 1 } as unknown as string;
    for (const format of ['terminal', 'md', 'junit'] as const) {
      const text = renderReport(format, result);
      expect(text, format).not.toContain('[object Object]');
      expect(text, format).toContain("user_id={'org': 'acme', 'ids': [1, 2]}");
    }
  });
});
