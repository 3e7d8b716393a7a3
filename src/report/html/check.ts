// The HTML page of a `check` run: the summary table, then each check's own report as a section.
import type { CheckRunResult } from '../../check/types.js';
import { CHECK_LABEL as LABEL, checkVerdictLine as verdictLine } from '../check-text.js';
import { escapeHtml } from '../escape.js';
import { renderDiffHtml } from './diff.js';
import { renderDriftHtml } from './drift.js';
import { PAGE_STYLE } from './page.js';
import { resetChartIds } from './vega-svg.js';

/** One page: the summary table, then each check's own report as a section. */
export function renderCheckHtml(result: CheckRunResult): string {
  const sections = result.checks.map((c, i) => {
    const anchor = `check-${i}`;
    let inner = `<p>${escapeHtml(c.headline)}</p>${c.error ? `<pre>${escapeHtml(c.error)}</pre>` : ''}`;
    if (c.result) {
      resetChartIds();
      const html = c.result.command === 'drift' ? renderDriftHtml(c.result) : renderDiffHtml(c.result);
      // Ids (SVG gradients, clip paths) are made unique per section.
      inner = (/<main>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '')
        .replace(/\bid="([^"]+)"/g, `id="${anchor}-$1"`)
        .replace(/url\(#([^)]+)\)/g, `url(#${anchor}-$1)`)
        .replace(/href="#([^"]+)"/g, `href="#${anchor}-$1"`);
    }
    return `<section class="check" id="${anchor}"><h2>${escapeHtml(c.name)} · ${c.kind} · ${escapeHtml(LABEL[c.status])}</h2>${inner}</section>`;
  });
  const rows = result.checks
    .map(
      (c, i) =>
        `<tr class="${c.status}"><td><a href="#check-${i}">${escapeHtml(c.name)}</a></td><td>${c.kind}</td><td>${escapeHtml(LABEL[c.status])}</td><td>${escapeHtml(c.headline)}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<link rel="icon" href="data:,">
<title>skewcheck check: ${escapeHtml(result.verdict)}</title>
<style>${PAGE_STYLE}
section.check { border-top: 3px solid #ddd; margin-top: 3rem; padding-top: 1rem; }
table.checks td, table.checks th { padding: .3rem .6rem; text-align: left; vertical-align: top; }
tr.fail td, tr.error td { color: #b42318; }
</style>
</head>
<body>
<main>
<h1>skewcheck check — ${escapeHtml(verdictLine(result))}</h1>
<p>${escapeHtml(result.config)}</p>
<table class="checks"><thead><tr><th>check</th><th>kind</th><th>verdict</th><th>headline</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${result.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}
${sections.join('\n')}
</main>
</body>
</html>
`;
}
