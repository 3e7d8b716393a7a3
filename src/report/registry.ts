// Renderers by name — the one place that knows which formats exist (like a test runner's
// reporters). Commands pick a renderer here and never format anything themselves.
import { UsageError } from '../errors.js';
import { jsonRenderer } from './json.js';
import { junitRenderer } from './junit.js';
import { markdownRenderer } from './markdown.js';
import { terminalRenderer } from './terminal.js';
import type { Renderer, RenderOptions, ReportFormat, ReportResult } from './types.js';

// The HTML renderer pulls in Vega, a third of a second to import: it is loaded only when a
// command asks for it (loadRenderers), so every other run starts as fast as before.
let renderHtml: ((result: ReportResult) => string) | undefined;

const htmlRenderer: Renderer = {
  name: 'html',
  description: 'a self-contained HTML page with charts (no network needed to view it)',
  extensions: ['.html', '.htm'],
  render: (result) => {
    if (!renderHtml) throw new Error("the HTML renderer is not loaded: await loadRenderers(['html']) first");
    return renderHtml(result);
  },
};

const RENDERERS: Record<ReportFormat, Renderer> = {
  terminal: terminalRenderer,
  json: jsonRenderer,
  md: markdownRenderer,
  junit: junitRenderer,
  html: htmlRenderer,
};

const ALIASES: Record<string, ReportFormat> = { markdown: 'md', xml: 'junit', text: 'terminal' };

export const REPORT_FORMATS = Object.keys(RENDERERS) as ReportFormat[];

/** The renderer for a format name or alias (md/markdown, junit/xml, …); UsageError otherwise. */
export function getRenderer(name: string): Renderer {
  const key = name.trim().toLowerCase();
  const format = (key in RENDERERS ? key : ALIASES[key]) as ReportFormat | undefined;
  if (!format) {
    throw new UsageError(`unknown report format "${name}"; use one of ${REPORT_FORMATS.join(', ')}`);
  }
  return RENDERERS[format];
}

/** Load what the named formats need before `render` is called (validates the names too). */
export async function loadRenderers(names: Iterable<string>): Promise<void> {
  for (const name of names) {
    if (getRenderer(name).name === 'html' && !renderHtml)
      renderHtml = (await import('./html/index.js')).renderHtml;
  }
}

/** The format whose usual extension `path` has (out.html → html), if any. */
export function formatForPath(path: string): ReportFormat | undefined {
  const lower = path.toLowerCase();
  return REPORT_FORMATS.find((f) => RENDERERS[f].extensions.some((ext) => lower.endsWith(ext)));
}

export function renderReport(format: string, result: ReportResult, options: RenderOptions = {}): string {
  return getRenderer(format).render(result, options);
}
