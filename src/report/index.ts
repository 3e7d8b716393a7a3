// Reports: every result kind (replay, diff, drift, check) in every format (formats.ts) through
// one registry. Renderers read result objects only, so saved results can be re-rendered.
export {
  FORMATS,
  formatOfConfigKey,
  REPORT_CONFIG_KEYS,
  REPORT_FORMATS,
  type ReportConfigKey,
} from './formats.js';
export { MARKDOWN_MAX_CHARS, renderMarkdown } from './markdown.js';
export { plainText } from './plain-text.js';
export { formatForPath, loadRenderers, renderReport, reportFormat } from './registry.js';
export { readResult } from './result.js';
export type { RenderOptions, ReportFormat, ReportResult } from './types.js';
