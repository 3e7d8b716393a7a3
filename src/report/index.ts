// Reports: one renderer per format (terminal, json, md, junit, html) behind one interface,
// chosen by name. Renderers read result objects only, so saved results can be re-rendered.
export { MARKDOWN_MAX_CHARS, renderMarkdown } from './markdown.js';
export { formatForPath, getRenderer, loadRenderers, REPORT_FORMATS, renderReport } from './registry.js';
export { readResult } from './result.js';
export { renderDiffTerminal, type TerminalOptions } from './terminal-diff.js';
export type { Renderer, RenderOptions, ReportFormat, ReportResult } from './types.js';
