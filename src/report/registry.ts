// Reports by format name — the one place commands go to render a result (like a test runner's
// reporters). Formats are listed in formats.ts, their functions per result kind in renderers.ts.
import { UsageError } from '../errors.js';
import { FORMATS, type FormatInfo, REPORT_FORMATS, type ReportFormat } from './formats.js';
import { loadHtml } from './html-loader.js';
import { RENDERERS } from './renderers.js';
import type { RenderFunction, RenderOptions, ReportResult } from './types.js';

/** The format a name or alias means (md/markdown, junit/xml, …); UsageError otherwise. */
export function reportFormat(name: string): ReportFormat {
  const key = name.trim().toLowerCase();
  const format = REPORT_FORMATS.find((f) => f === key || (FORMATS[f] as FormatInfo).aliases.includes(key));
  if (!format) {
    throw new UsageError(`unknown report format "${name}"; use one of ${REPORT_FORMATS.join(', ')}`);
  }
  return format;
}

/** Load what the named formats need before `renderReport` is called (validates the names too). */
export async function loadRenderers(names: Iterable<string>): Promise<void> {
  for (const name of names) if (reportFormat(name) === 'html') await loadHtml();
}

/** The format whose usual extension `path` has (out.html → html), if any. */
export function formatForPath(path: string): ReportFormat | undefined {
  const lower = path.toLowerCase();
  return REPORT_FORMATS.find((f) => FORMATS[f].extensions.some((ext) => lower.endsWith(ext)));
}

/** Render any result (replay, diff, drift or check) in the format a name or alias means. */
export function renderReport(format: string, result: ReportResult, options: RenderOptions = {}): string {
  const render = RENDERERS[result.command][reportFormat(format)] as RenderFunction<ReportResult>;
  return render(result, options);
}
