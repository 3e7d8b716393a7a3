// The HTML renderer: one self-contained page per result, charts rendered to inline SVG.
import type { Renderer } from '../types.js';
import { renderDiffHtml } from './diff.js';
import { resetChartIds } from './vega-svg.js';

export const htmlRenderer: Renderer = {
  name: 'html',
  description: 'a self-contained HTML page with charts (no network needed to view it)',
  extensions: ['.html', '.htm'],
  render: (result) => {
    resetChartIds();
    return renderDiffHtml(result);
  },
};
