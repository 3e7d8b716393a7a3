// The frame of every HTML report: one self-contained document (inline CSS and SVG, no script,
// a Content-Security-Policy that forbids any fetch) that reads on a laptop and prints cleanly.
import { escapeHtml } from '../escape.js';

/** Escape data for HTML; use for every value that is not markup we wrote. */
export const h = escapeHtml;

/** The style sheet of every page (the check page adds its own rules to it). */
export const PAGE_STYLE = `
:root { --fail: #c62828; --pass: #2e7d32; --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa;
  --differs: #d62728; --agrees: #a3abb3; --train: #1f77b4; --prod: #ff7f0e; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
header.verdict { border-left: 6px solid var(--fail); padding: 4px 0 4px 16px; margin-bottom: 20px; }
header.verdict.pass { border-color: var(--pass); }
.badge { display: inline-block; font-weight: 700; font-size: 13px; letter-spacing: .04em; color: #fff; background: var(--fail); border-radius: 4px; padding: 2px 8px; vertical-align: middle; }
.pass .badge { background: var(--pass); }
h1 { display: inline; font-size: 20px; margin: 0 0 0 8px; vertical-align: middle; }
.lede { font-size: 17px; margin: 10px 0 4px; }
.meta { color: var(--muted); margin: 0; font-size: 13px; overflow-wrap: anywhere; }
h2 { font-size: 16px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 16px 0 6px; }
.explain { color: var(--muted); margin: 0 0 10px; font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 120px; background: var(--soft); }
.card .n { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .l { color: var(--muted); font-size: 12px; }
.card.bad { border-color: #f0b4b4; background: #fff5f5; }
.card.bad .n { color: var(--fail); }
ul.reasons { margin: 8px 0; padding-left: 20px; }
ul.reasons li { margin: 2px 0; }
.cause { border: 1px solid #f3d08a; background: #fffbea; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0 4px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.data { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: break-word; max-width: 360px; }
td.nowrap { white-space: nowrap; }
.compact table { font-size: 12px; }
.compact th, .compact td { padding: 4px 6px; }
tr.bad td:first-child { border-left: 3px solid var(--fail); }
.status-bad { color: var(--fail); font-weight: 600; }
.status-ok { color: var(--pass); }
.bar { display: inline-block; height: 9px; background: var(--differs); border-radius: 2px; vertical-align: middle; margin-right: 6px; }
.more { color: var(--muted); font-size: 12px; margin: 4px 0; }
figure { margin: 8px 0 0; }
figcaption { font-size: 13px; margin: 4px 0 2px; overflow-wrap: anywhere; }
figcaption .sub { display: block; color: var(--muted); font-size: 12px; }
figure svg { max-width: 100%; height: auto; display: block; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(310px, 1fr)); gap: 8px 16px; }
.legend { font-size: 12px; color: var(--muted); margin: 0 0 6px; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; vertical-align: -1px; margin: 0 4px 0 10px; }
.swatch { display: inline-block; width: 14px; height: 10px; vertical-align: -1px; margin: 0 4px 0 10px; }
.note { color: #7a5b00; }
article.feature { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
article.feature.bad { border-left: 4px solid var(--fail); }
article.feature h3 { margin: 0 0 4px; }
article.feature p { margin: 2px 0 6px; }
.panel .grid { grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); }
.numbers { display: grid; grid-template-columns: minmax(260px, auto) 1fr; gap: 8px 20px; align-items: start; margin-top: 6px; }
.numbers table { width: auto; margin: 0; }
details > summary { cursor: pointer; font-weight: 600; margin: 12px 0 4px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 700px) { main { padding: 12px; } .lede { font-size: 15px; } }
@media print {
  @page { margin: 14mm; }
  body { font-size: 11px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, .card, tr, article.feature { break-inside: avoid; }
  .grid { grid-template-columns: repeat(2, 1fr); }
}
`;

export interface PageParts {
  title: string;
  verdict: 'pass' | 'fail';
  /** Header: the command name, the one-sentence verdict and its context (markup). */
  heading: string;
  lede: string;
  meta: string;
  body: string[];
  footer: string;
}

export function page(parts: PageParts): string {
  const badge = parts.verdict === 'pass' ? 'PASS' : 'FAIL';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="skewcheck">
<link rel="icon" href="data:,">
<title>${h(parts.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
<header class="verdict ${parts.verdict}">
<span class="badge">${badge}</span><h1>${parts.heading}</h1>
<p class="lede">${parts.lede}</p>
<p class="meta">${parts.meta}</p>
</header>
${parts.body.filter((s) => s !== '').join('\n')}
<footer>${parts.footer}</footer>
</main>
</body>
</html>
`;
}

export function card(value: string, label: string, bad = false): string {
  return `<div class="card${bad ? ' bad' : ''}"><div class="n">${value}</div><div class="l">${label}</div></div>`;
}

/** A figure holding an SVG chart, labelled for screen readers; `caption` is markup. */
export function figure(svg: string, label: string, caption = ''): string {
  return `<figure aria-label="${h(label)}">${caption ? `<figcaption>${caption}</figcaption>` : ''}${svg}</figure>`;
}

export interface Column<T> {
  head: string;
  num?: boolean;
  /** Markup of the cell (escape data with h()). */
  cell: (row: T) => string;
  className?: (row: T) => string;
}

export function htmlTable<T>(rows: T[], columns: Column<T>[], rowClass?: (row: T) => string): string {
  const head = columns.map((c) => `<th${c.num ? ' class="num"' : ''}>${c.head}</th>`).join('');
  const body = rows
    .map((row) => {
      const cls = rowClass?.(row);
      const cells = columns
        .map((c) => {
          const classes = [c.num ? 'num' : '', c.className?.(row) ?? ''].filter(Boolean).join(' ');
          return `<td${classes ? ` class="${classes}"` : ''}>${c.cell(row)}</td>`;
        })
        .join('');
      return `<tr${cls ? ` class="${cls}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
