// The registry: every result kind renders in every format, names come from the one format list,
// and a format without a renderer for some result kind does not compile.
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { CheckRunResult } from '../../src/check/types.js';
import { configSchema, type SkewcheckConfig } from '../../src/config/schema.js';
import type { DiffResult } from '../../src/diff/index.js';
import type { DriftReport } from '../../src/report/drift-text.js';
import {
  type FORMATS,
  formatForPath,
  loadRenderers,
  REPORT_CONFIG_KEYS,
  REPORT_FORMATS,
  type ReportConfigKey,
  type ReportFormat,
  renderReport,
  reportFormat,
} from '../../src/report/index.js';
import { CHECK_RENDERERS, DIFF_RENDERERS, DRIFT_RENDERERS } from '../../src/report/renderers.js';
import type { RenderTable } from '../../src/report/types.js';
import { checkRun, diffPass, driftPass, replayFail } from './fixtures.js';

beforeAll(() => loadRenderers(['html']));

describe('the renderer tables (types)', () => {
  it('have exactly the formats of the format list', () => {
    expectTypeOf<keyof typeof DIFF_RENDERERS>().toEqualTypeOf<ReportFormat>();
    expectTypeOf<keyof typeof DRIFT_RENDERERS>().toEqualTypeOf<ReportFormat>();
    expectTypeOf<keyof typeof CHECK_RENDERERS>().toEqualTypeOf<ReportFormat>();
    expectTypeOf<keyof typeof FORMATS>().toEqualTypeOf<ReportFormat>();
  });

  it('do not compile when a new format lacks a renderer for a result kind', () => {
    type WithSarif = ReportFormat | 'sarif';
    // What adding `sarif` to formats.ts does: each table without a `sarif` function is an error.
    // @ts-expect-error the diff table has no renderer for the new format
    DIFF_RENDERERS satisfies RenderTable<DiffResult, WithSarif>;
    // @ts-expect-error the drift table has no renderer for the new format
    DRIFT_RENDERERS satisfies RenderTable<DriftReport, WithSarif>;
    // @ts-expect-error the check table has no renderer for the new format
    CHECK_RENDERERS satisfies RenderTable<CheckRunResult, WithSarif>;
    // With the function added, it compiles.
    ({ ...DIFF_RENDERERS, sarif: () => '' }) satisfies RenderTable<DiffResult, WithSarif>;
    expect(Object.keys(DIFF_RENDERERS).sort()).toEqual([...REPORT_FORMATS].sort());
  });

  it("give the config's reports: keys", () => {
    type ReportKeys = keyof NonNullable<SkewcheckConfig['reports']>;
    expectTypeOf<ReportKeys>().toEqualTypeOf<ReportConfigKey>();
    expect(REPORT_CONFIG_KEYS).toContain('markdown');
    expect(REPORT_CONFIG_KEYS).not.toContain('md');
  });
});

describe('the registry', () => {
  const results = { replay: replayFail(), diff: diffPass(), drift: driftPass(), check: checkRun() };
  for (const format of REPORT_FORMATS) {
    it(`renders every result kind as ${format}`, () => {
      for (const [kind, result] of Object.entries(results)) {
        const text = renderReport(format, result);
        expect(text.length, `${kind} as ${format}`).toBeGreaterThan(100);
        expect(text.endsWith('\n'), `${kind} as ${format} ends with a newline`).toBe(true);
      }
    });
  }

  it('knows each format by its name, aliases and extensions', () => {
    expect(reportFormat(' Markdown ')).toBe('md');
    expect(reportFormat('xml')).toBe('junit');
    expect(reportFormat('text')).toBe('terminal');
    expect(() => reportFormat('pdf')).toThrow(/unknown report format "pdf"; use one of terminal, json, md/);
    expect(formatForPath('out/Report.HTML')).toBe('html');
    expect(formatForPath('summary.markdown')).toBe('md');
    expect(formatForPath('result')).toBeUndefined();
  });

  it('accepts a reports: key per format in the config, and refuses others', () => {
    const reports = Object.fromEntries(REPORT_CONFIG_KEYS.map((k) => [k, `out/${k}`]));
    expect(configSchema.safeParse({ reports }).success).toBe(true);
    const bad = configSchema.safeParse({ reports: { md: 'x.md' } });
    expect(bad.success).toBe(false);
  });
});
