// Vega-Lite specs rendered to SVG text in Node, synchronously, so that the HTML renderer keeps
// the `render(result) → string` contract. The charts hold inline data only (no loading, no
// async transforms), so one synchronous dataflow run computes the whole scenegraph; the
// renderer is the one `view.toSVG()` uses, and a test checks both give the same bytes.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Shared look: the page's font, quiet axes, no chart border. No per-mark ARIA descriptions: they
 * would repeat every data point in the SVG (the page labels each chart as a whole instead).
 */
export const CHART_CONFIG = {
  aria: false,
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  view: { stroke: null },
  axis: {
    labelColor: '#444',
    titleColor: '#333',
    gridColor: '#eceff1',
    domainColor: '#b0b7bd',
    tickColor: '#b0b7bd',
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 600,
  },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'top' },
  title: { fontSize: 13, anchor: 'start', subtitleColor: '#555', subtitleFontSize: 11, offset: 8 },
} as const;

/** Vega's headless SVG renderer (exported by vega, missing from its type definitions). */
interface StringRenderer {
  initialize(el: null, width: number, height: number, origin: number[]): StringRenderer;
  background(color: unknown): StringRenderer;
  render(scene: unknown): StringRenderer;
  svg(): string;
}
const { SVGStringRenderer, resetSVGDefIds, textMetrics } = vega as unknown as {
  SVGStringRenderer: new (loader: unknown) => StringRenderer;
  resetSVGDefIds: () => void;
  textMetrics: { width: (item: TextItem, text?: unknown) => number };
};

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

// Without a canvas Vega guesses 0.8 em per character, far too wide for the sans-serif fonts
// the page uses: labels get cut early and axes padded. These are advance widths (em per
// character) rounded up to fit both Helvetica/Arial and the wider DejaVu Sans; deterministic,
// no font files needed.
const NARROW = /[ijl|!.,:;'`]/;
const SEMI = /[ftrI()[\]\-\s"/\\]/;
const WIDE = /[mwMW@%]/;
function emWidth(text: string): number {
  let em = 0;
  for (const c of text) {
    if (NARROW.test(c)) em += 0.28;
    else if (SEMI.test(c)) em += 0.36;
    else if (WIDE.test(c)) em += 0.9;
    else if (/[A-Z#&]/.test(c)) em += 0.7;
    else if (/[0-9$_~^*+=<>?]/.test(c)) em += 0.62;
    else if (c.charCodeAt(0) > 0x2e7f) em += 1;
    else em += 0.58;
  }
  return em;
}
textMetrics.width = (item: TextItem, text?: unknown) => {
  const value = text ?? item.text;
  const lines = Array.isArray(value) ? value : [value];
  const size = item.fontSize ?? 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600 ? 1.07 : 1;
  const width = Math.max(0, ...lines.map((line) => emWidth(String(line ?? '').trim()) * size * bold));
  return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
};

interface ViewInternals {
  _viewWidth: number;
  _viewHeight: number;
  _origin: [number, number];
  _pulse: unknown;
}

/**
 * Start numbering of SVG clip-path and gradient ids afresh. Call once per page: ids then stay
 * unique within the page and the same from one rendering to the next.
 */
export function resetChartIds(): void {
  resetSVGDefIds();
}

const warnings: string[] = [];

interface Logger {
  level(): Logger;
  error(...args: unknown[]): Logger;
  warn(...args: unknown[]): Logger;
  info(): Logger;
  debug(): Logger;
}

/** Vega-Lite's compile warnings are collected, not printed: a report never writes to the console. */
const logger: Logger = {
  level: () => logger,
  error: (...args) => {
    warnings.push(args.map(String).join(' '));
    return logger;
  },
  warn: (...args) => {
    warnings.push(args.map(String).join(' '));
    return logger;
  },
  info: () => logger,
  debug: () => logger,
};

/** Warnings of the charts compiled since the last call (for tests: the specs should have none). */
export function takeChartWarnings(): string[] {
  return warnings.splice(0);
}

function compileSpec(spec: TopLevelSpec) {
  return compile({ config: CHART_CONFIG, ...spec } as TopLevelSpec, { logger }).spec;
}

export function chartSvg(spec: TopLevelSpec): string {
  const compiled = compileSpec(spec);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: 0 });
  view.run();
  const internals = view as unknown as ViewInternals;
  if (internals._pulse) throw new Error('vega chart did not finish synchronously');
  const padding = view.padding() as { left: number; right: number; top: number; bottom: number };
  const width = Math.max(0, internals._viewWidth + padding.left + padding.right);
  const height = Math.max(0, internals._viewHeight + padding.top + padding.bottom);
  const origin = [padding.left + internals._origin[0], padding.top + internals._origin[1]];
  const svg = new SVGStringRenderer(view.loader())
    .initialize(null, width, height, origin)
    .background(view.background())
    .render((view.scenegraph() as unknown as { root: unknown }).root)
    .svg();
  view.finalize();
  return svg;
}

/** The same chart through Vega's asynchronous public API (used by a test to check chartSvg). */
export async function chartSvgAsync(spec: TopLevelSpec): Promise<string> {
  const compiled = compileSpec(spec);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: 0 });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
