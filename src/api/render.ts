// `render()`: any result (replay, diff, drift, check) as terminal text, Markdown, JUnit, HTML
// or JSON — what `skewcheck report` and `--report` write.
import {
  loadRenderers,
  type RenderOptions,
  type ReportFormat,
  type ReportResult,
  renderReport,
} from '../report/index.js';

/** A format name, or an alias: `markdown` for md, `xml` for junit, `text` for terminal. */
export type RenderFormat = ReportFormat | 'markdown' | 'xml' | 'text';

/**
 * Render a result in a report format. Async because the HTML format loads its chart library on
 * first use. Throws a UsageError for an unknown format.
 */
export async function render(
  result: ReportResult,
  format: RenderFormat,
  options: RenderOptions = {},
): Promise<string> {
  await loadRenderers([format]);
  return renderReport(format, result, options);
}
