// The HTML renderer: one self-contained page per result, charts rendered to inline SVG.
// Loaded on demand by the registry (Vega takes a third of a second to import).
import type { ReportResult } from '../types.js';
import { renderDiffHtml } from './diff.js';
import { resetChartIds } from './vega-svg.js';

export function renderHtml(result: ReportResult): string {
  resetChartIds();
  return renderDiffHtml(result);
}
