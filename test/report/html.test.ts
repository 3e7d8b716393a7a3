// The HTML renderer: self-contained, escaped, deterministic, light; and the synchronous Vega
// rendering it relies on gives the same SVG as Vega's own asynchronous API.
import { beforeAll, describe, expect, it } from 'vitest';
import { dayHourSpec, scatterSpec, timelineSpec, topKeysSpec } from '../../src/report/html/charts-diff.js';
import {
  categoriesSpec,
  categoryShiftsSpec,
  ecdfSpec,
  histogramSpec,
  missingSpec,
  quantilesSpec,
} from '../../src/report/html/charts-drift.js';
import { chartSvg, chartSvgAsync, resetChartIds, takeChartWarnings } from '../../src/report/html/vega-svg.js';
import { loadRenderers, renderReport } from '../../src/report/index.js';
import {
  diffMixed,
  diffPass,
  driftFail,
  driftHostile,
  driftPass,
  hostile,
  largest,
  replayFail,
  XSS,
} from './fixtures.js';

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

  it('drift: ECDFs with the KS gap, histograms and category bars from the plot data', () => {
    const html = renderReport('html', driftFail());
    expect(html).toMatch(/<span class="badge">FAIL<\/span><h1>skewcheck drift<\/h1>/);
    expect(html).toContain('3 of 7 tested features drifted (42.86%): <code>device_type</code>');
    // Drifted: device_type (missing values, categories), country (categories), distance (ECDF,
    // histogram); the 4 others in a closed <details>: 1 + 2 + 2 + 2.
    expect(html.match(/<svg/g)).toHaveLength(5 + 7);
    expect(html).toMatch(/<text[^>]*>D = 0\.253 at 9\.086<\/text>/);
    expect(html).toContain('<summary>Features without drift (4)</summary>');
    // Without plot data the charts come from the summary numbers: percentiles, category shifts.
    const pass = renderReport('html', driftPass());
    expect(pass).toMatch(/<span class="badge">PASS<\/span>/);
    expect(pass).toContain('<b>Percentiles</b>');
    expect(pass).toContain('<b>Largest shifts</b>');
    expect(pass).not.toContain('Cumulative share');
  });

  it('drift: category and feature names stay text, in the page and in the SVG', () => {
    const html = renderReport('html', driftHostile());
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain(`<code>${ESCAPED_XSS}|country</code>`);
    const svgTexts = [...html.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]);
    expect(svgTexts).toContain(ESCAPED_XSS);
  });

  it('is deterministic: same result, same bytes, whatever was rendered before', () => {
    const a = renderReport('html', replayFail());
    const d = renderReport('html', driftFail());
    renderReport('html', diffMixed());
    chartSvg(topKeysSpec(replayFail())!);
    expect(renderReport('html', replayFail())).toBe(a);
    expect(renderReport('html', driftFail())).toBe(d);
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
    const drift = driftFail();
    for (const plot of drift.plots!.features) {
      if (plot.kind === 'numeric') specs.push(ecdfSpec(plot), histogramSpec(plot));
      else specs.push(categoriesSpec(plot));
    }
    for (const f of drift.features) {
      specs.push(missingSpec(f));
      const fallback = f.kind === 'numeric' ? quantilesSpec(f) : categoryShiftsSpec(f);
      if (fallback) specs.push(fallback);
    }
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
    for (const make of [
      replayFail,
      diffMixed,
      diffPass,
      hostile,
      largest,
      driftFail,
      driftPass,
      driftHostile,
    ]) {
      renderReport('html', make());
    }
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
