// The HTML renderer: one self-contained page per result, charts rendered to inline SVG.
// Loaded on demand by the registry (Vega takes a third of a second to import).
import type { DiffResult } from '../../diff/index.js';
import type { DriftReport } from '../drift-text.js';
import { renderDiffHtml } from './diff.js';
import { renderDriftHtml } from './drift.js';
import { resetChartIds } from './vega-svg.js';

export { renderCheckHtml as checkHtml } from './check.js';

export function diffHtml(result: DiffResult): string {
  resetChartIds();
  return renderDiffHtml(result);
}

export function driftHtml(result: DriftReport): string {
  resetChartIds();
  return renderDriftHtml(result);
}
