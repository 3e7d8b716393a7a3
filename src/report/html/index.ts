// The HTML renderer: one self-contained page per result, charts rendered to inline SVG.
// Loaded on demand by the registry (Vega takes a third of a second to import).
import { isDriftResult, type ReportResult } from '../types.js';
import { renderDiffHtml } from './diff.js';
import { renderDriftHtml } from './drift.js';
import { resetChartIds } from './vega-svg.js';

export function renderHtml(result: ReportResult): string {
  resetChartIds();
  return isDriftResult(result) ? renderDriftHtml(result) : renderDiffHtml(result);
}
