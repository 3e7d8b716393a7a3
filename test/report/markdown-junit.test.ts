// Markdown and JUnit renderers: golden files for fixed results, escaping of hostile data,
// the size limit of a PR comment, and validity against the common JUnit XML schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { mdCode, mdText } from '../../src/report/escape.js';
import { MARKDOWN_MAX_CHARS, renderMarkdown, renderReport } from '../../src/report/index.js';
import {
  diffMixed,
  diffPass,
  driftFail,
  driftHostile,
  driftPass,
  hostile,
  manyFailing,
  replayFail,
  XSS,
} from './fixtures.js';
import { expectGolden } from './golden.js';

const FIXTURES = {
  'replay-fail': replayFail,
  'diff-mixed': diffMixed,
  'diff-pass': diffPass,
  hostile,
  'drift-fail': driftFail,
  'drift-pass': driftPass,
  'drift-hostile': driftHostile,
};
const XSD = readFileSync(join(import.meta.dirname, 'junit.xsd'), 'utf8');

/** A line with its code spans (CommonMark: equal backtick runs) removed. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
}

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('fixtures', () => {
  it('are valid results', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const schema = (name: string) =>
      ajv.compile(JSON.parse(readFileSync(`schema/${name}-result.schema.json`, 'utf8')));
    const validators = { diff: schema('diff'), drift: schema('drift') };
    for (const make of [...Object.values(FIXTURES), () => manyFailing(20)]) {
      const result = make();
      const validate = validators[result.command === 'drift' ? 'drift' : 'diff'];
      expect(validate(JSON.parse(JSON.stringify(result))) || validate.errors).toBe(true);
    }
  });
});

describe('markdown', () => {
  for (const [name, make] of Object.entries(FIXTURES)) {
    it(`matches its golden file: ${name}`, () => {
      expectGolden(`${name}.md`, renderReport('md', make()));
    });
  }

  it('says the verdict and the key numbers in its first line', () => {
    expect(renderMarkdown(replayFail()).split('\n')[0]).toBe(
      '### ❌ skewcheck replay: skew found — 504 of 2,880 (key, window) rows differ (17.50%) · 1 of 3 features: `unique_merchants_5m`',
    );
    expect(renderMarkdown(diffPass()).split('\n')[0]).toBe(
      '### ✅ skewcheck diff: left and right agree on 2,880 of 2,880 (key, window) rows',
    );
    expect(renderMarkdown(driftFail()).split('\n')[0]).toBe(
      '### ❌ skewcheck drift: drift found — 3 of 7 tested features drifted (42.86%): `device_type`, `country`, `distance_from_home_km`',
    );
    expect(renderMarkdown(driftPass()).split('\n')[0]).toBe(
      '### ✅ skewcheck drift: no drift beyond the gate — 7 features tested; 3 drifted, within the gate',
    );
  });

  it('escapes data: HTML only in code spans, every table row keeps its columns, no mentions', () => {
    const md = renderMarkdown(hostile());
    const lines = [...md.split('\n'), ...renderMarkdown(driftHostile()).split('\n')];
    for (const line of lines) {
      // Outside code spans only our own tags remain; inside them, text is literal.
      const prose = withoutCodeSpans(line).replace(/<\/?(details|summary)>/g, '');
      expect(prose, line).not.toMatch(/</);
    }
    expect(md).toContain('&lt;script&gt;'); // in plain text
    expect(md).toContain('`<script>alert(1)</script>\\|'); // in a code span, pipe escaped for the table
    let columns = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      if (columns === 0) columns = cells(line).length;
      else expect(cells(line), line).toHaveLength(columns);
    }
    // The newline inside the feature name did not end a table row or a list item.
    expect(md).toContain('⏎@team');
    for (const line of lines.filter((l) => l.includes('@team') && !l.includes('`'))) {
      expect(line).toContain('@\u2060team');
    }
  });

  it('code spans survive backticks, pipes, newlines and leading spaces', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(mdCode('a\nb')).toBe('`a⏎b`');
    expect(mdCode('')).toBe('`  `');
    expect(mdText('*a* <b> [c](d) @e')).toBe('\\*a\\* &lt;b&gt; \\[c\\](d) @\u2060e');
  });

  it('stays below the size of a PR comment with 500 failing features, saying how many are left out', () => {
    const md = renderMarkdown(manyFailing(500));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    expect(md).toMatch(/^### ❌ .*500 of 500 features/);
    expect(md).toMatch(/… and [\d,]+ more failing features/);
    const shown = md.split('\n').filter((l) => l.startsWith('| `feature_')).length;
    expect(shown).toBeGreaterThanOrEqual(10);
    expect(shown).toBeLessThan(500);
  });

  it('cuts at a line boundary when even the tightest layout is too long', () => {
    const md = renderMarkdown(manyFailing(500), 1000);
    expect(md.length).toBeLessThanOrEqual(1000);
    expect(md).toMatch(/report cut to fit/);
    expect(md.startsWith('### ❌')).toBe(true);
  });
});

async function expectValidJunit(xml: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [XSD] });
  expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  expect(result.valid).toBe(true);
}

describe('junit', () => {
  for (const [name, make] of Object.entries(FIXTURES)) {
    it(`matches its golden file and the JUnit schema: ${name}`, async () => {
      const xml = renderReport('junit', make());
      expectGolden(`${name}.xml`, xml);
      await expectValidJunit(xml);
    });
  }

  it('has one test case per feature plus the row checks, failing where the result fails', () => {
    const xml = renderReport('junit', diffMixed());
    expect(xml).toMatch(
      /<testsuite name="skewcheck diff: left offline.parquet vs right online.parquet" tests="5" failures="5"/,
    );
    expect(xml).toContain('<testcase classname="skewcheck.diff.features" name="amount">');
    expect(xml).toMatch(
      /<failure type="mismatch" message="3 of 96 rows differ \(3\.13%\), max abs diff 12\.5, max rel diff 0\.25, 1 NULL vs value">/,
    );
    expect(xml).toMatch(
      /<failure type="type_mismatch" message="score is DOUBLE on the left side and VARCHAR on the right side">/,
    );
    expect(xml).toMatch(/<failure type="missing_feature" message="segment exists only on the right side"/);
    expect(xml).toMatch(
      /<failure type="duplicates" message="4 rows have a duplicated \(key, window\) and were not compared">/,
    );
    const pass = renderReport('junit', diffPass());
    expect(pass).toMatch(/tests="5" failures="0" errors="0"/);
    expect(pass).not.toContain('<failure');
  });

  it('drift: one case per feature, the gate as a case, skipped features skipped', () => {
    const xml = renderReport('junit', driftFail());
    expect(xml).toMatch(
      /<testsuite name="skewcheck drift: train samples\/fraud\/train.parquet vs prod samples\/fraud\/prod.parquet" tests="8" failures="4" errors="0" skipped="0">/,
    );
    expect(xml).toMatch(
      /<testcase classname="skewcheck.drift" name="drifted features within the gate \(at most 0\)">\s*<failure type="drift" message="3 of 7 tested features drifted \(42.86%\); the gate allows at most 0">/,
    );
    expect(xml).toMatch(
      /name="distance_from_home_km">\s*<failure type="drift" message="distribution drift: KS D 0.253, p adj. 6e-125 \(exact\), D 0.253 · W1\/σ 0.609 · PSI 0.388">/,
    );
    expect(xml).toMatch(
      /name="device_type">\s*<failure type="null_rate_drift" message="null rate 0% → 31.18% \(p &lt;1e-300\)">/,
    );
    // Within the gate, drifted features pass and say so.
    const pass = renderReport('junit', driftPass());
    expect(pass).toMatch(/tests="8" failures="0" errors="0" skipped="0"/);
    expect(pass).toMatch(
      /<system-out>drifted, within the gate \(at most 3\): distribution drift: KS D 0.253/,
    );
    const skipped = driftFail();
    skipped.features[6]!.status = 'skipped';
    skipped.features[6]!.notes = [
      'date/time column (TIMESTAMP): not tested for drift; exclude it with --exclude',
    ];
    expect(renderReport('junit', skipped)).toMatch(
      /skipped="1">[\s\S]*<skipped message="date\/time column \(TIMESTAMP\): not tested/,
    );
  });

  it('escapes data and shows control characters (XML cannot hold most of them) as symbols', async () => {
    const result = hostile();
    result.features[0]!.name = 'bell\u0007 and nul\u0000';
    const xml = renderReport('junit', result);
    expect(xml).not.toContain(XSS);
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).toContain('name="bell␇ and nul␀"');
    await expectValidJunit(xml);
  });
});
