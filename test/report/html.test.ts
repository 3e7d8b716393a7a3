// The HTML renderer: self-contained, escaped, deterministic, light; and the synchronous Vega
// rendering it relies on gives the same SVG as Vega's own asynchronous API.
import { beforeAll, describe, expect, it } from 'vitest';
import { dayHourSpec, scatterSpec, timelineSpec, topKeysSpec } from '../../src/report/html/charts-diff.js';
import { chartSvg, chartSvgAsync, resetChartIds, takeChartWarnings } from '../../src/report/html/vega-svg.js';
import { loadRenderers, renderReport } from '../../src/report/index.js';
import { diffMixed, diffPass, hostile, largest, replayFail, XSS } from './fixtures.js';

const ESCAPED_XSS = '&lt;script&gt;alert(1)&lt;/script&gt;';

beforeAll(() => loadRenderers(['html']));

describe('html', () => {
  it('renders every value from the data as text, in the page and inside the SVG charts', () => {
    const html = renderReport('html', hostile());
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain(`<code>${ESCAPED_XSS}|\`x\`\n@team *bold*</code>`);
    expect(html).toContain(`user_id=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;${ESCAPED_XSS}`);
    const svgTexts = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].flatMap((m) =>
      [...m[0].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]),
    );
    expect(svgTexts).toContain(`user_id=${ESCAPED_XSS}`);
    expect(html).toContain(`<title>skewcheck replay: FAIL — ${ESCAPED_XSS}.sql vs features.ts</title>`);
  });

  it('is self-contained: a CSP that forbids fetching, no external references, no script', () => {
    const html = renderReport('html', replayFail());
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    const references = [...html.matchAll(/\s(?:src|href|xlink:href)="([^"]*)"/g)].map((m) => m[1]);
    expect(references.every((r) => r === 'data:,' || r!.startsWith('#') || r!.startsWith('url(#'))).toBe(
      true,
    );
    const urls = [...html.matchAll(/https?:\/\/[^\s"')]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    expect(html).not.toMatch(/<script/i);
  });

  it('draws the charts the result has data for', () => {
    const html = renderReport('html', replayFail());
    expect(html).toContain('When rows differ');
    expect(html.match(/<svg/g)).toHaveLength(4); // one scatter, timeline, day × hour, top keys
    expect(html).toMatch(
      /<b>unique_merchants_5m<\/b><span class="sub">17\.50% of 2,880 rows differ; stream is higher in 100\.00% of them/,
    );
    const mixed = renderReport('html', diffMixed());
    expect(mixed).not.toContain('When rows differ'); // no timeline: window_start not bucketed
    expect(mixed).toContain('Duplicates');
    expect(mixed.match(/<svg/g)).toHaveLength(1); // top keys only
    expect(renderReport('html', diffPass())).toMatch(/<span class="badge">PASS<\/span>/);
  });

  it('is deterministic: same result, same bytes, whatever was rendered before', () => {
    const a = renderReport('html', replayFail());
    renderReport('html', diffMixed());
    chartSvg(topKeysSpec(replayFail())!);
    expect(renderReport('html', replayFail())).toBe(a);
  });

  it('renders each chart synchronously exactly as Vega renders it asynchronously', async () => {
    const result = replayFail();
    const timeline = result.plots!.timeline!;
    const specs = [
      timelineSpec(result, timeline),
      dayHourSpec(timeline)!,
      scatterSpec(result, result.plots!.scatter[0]!),
      topKeysSpec(result)!,
      topKeysSpec(diffMixed())!,
    ];
    for (const spec of specs) {
      resetChartIds();
      const sync = chartSvg(spec);
      resetChartIds();
      expect(sync).toBe(await chartSvgAsync(spec));
      expect(sync).toMatch(/<path|<rect/);
    }
  });

  it('compiles its charts without Vega-Lite warnings', () => {
    takeChartWarnings();
    for (const make of [replayFail, diffMixed, diffPass, hostile, largest]) renderReport('html', make());
    expect(takeChartWarnings()).toEqual([]);
  });

  it('stays light for the largest plot data and 1,500 failing features', () => {
    const html = renderReport('html', largest());
    expect(html.length).toBeLessThan(2_500_000);
    // The 12 scatters, timeline, day × hour (12.5 days of hours), top keys.
    expect(html.match(/<svg/g)).toHaveLength(15);
  });

  it('leaves out raw rows: charts come from the aggregated plot data only', () => {
    const result = replayFail();
    const without = renderReport('html', { ...result, plots: undefined });
    expect(without).not.toContain('When rows differ');
    expect(without).toContain('Top offending keys');
    expect(without).not.toContain(XSS);
  });
});
