// Reports for a whole `check` run: one Markdown summary for the pull request, one JUnit file
// with a test suite per check, one HTML page with a section per check — built from the
// per-command renderers, so every check reads the same as its own command's report.
import { escapeHtml } from '../report/escape.js';
import { diffSuite, driftSuite, type JunitSuite, renderJunitSuites } from '../report/junit.js';
import { MARKDOWN_MAX_CHARS, renderMarkdown } from '../report/markdown.js';
import { renderReport } from '../report/registry.js';
import { type CheckEntry, type CheckRunResult, summaryCounts } from './types.js';

const LABEL: Record<CheckEntry['status'], string> = {
  pass: '✅ pass',
  baselined: '☑️ baselined',
  fail: '❌ FAIL',
  error: '⚠️ ERROR',
  skipped: '⏭️ skipped',
};

/** Text for a Markdown table cell: no pipes, newlines or HTML. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function verdictLine(result: CheckRunResult): string {
  const word = result.verdict === 'pass' ? '✅ PASS' : result.verdict === 'fail' ? '❌ FAIL' : '⚠️ ERROR';
  return `${word} — ${result.summary.checks} checks: ${summaryCounts(result.summary)}`;
}

export function renderCheckMarkdown(result: CheckRunResult, maxChars = MARKDOWN_MAX_CHARS): string {
  const head = [
    `## skewcheck check: ${verdictLine(result)}`,
    '',
    '| check | kind | verdict | headline |',
    '| --- | --- | --- | --- |',
    ...result.checks.map(
      (c) => `| \`${cell(c.name)}\` | ${c.kind} | ${LABEL[c.status]} | ${cell(c.headline)} |`,
    ),
    '',
    ...result.notes.map((n) => `> ${cell(n)}`),
  ].join('\n');
  // The failing checks' own reports, folded, sharing what room is left.
  const detailed = result.checks.filter((c) => c.result && (c.status === 'fail' || c.status === 'baselined'));
  const errors = result.checks.filter((c) => c.status === 'error');
  const room = Math.max(2_000, maxChars - head.length - 2_000);
  const each = Math.floor(room / Math.max(1, detailed.length));
  const sections = [
    ...errors.map(
      (c) =>
        `<details><summary>⚠️ ${escapeHtml(c.name)}: could not run</summary>\n\n\`\`\`\n${(c.error ?? '').replaceAll('```', "'''")}\n\`\`\`\n</details>`,
    ),
    ...detailed.map(
      (c) =>
        `<details><summary>${LABEL[c.status]} ${escapeHtml(c.name)}</summary>\n\n${renderMarkdown(c.result!, each).trim()}\n\n</details>`,
    ),
  ];
  const text = `${[head, ...sections].join('\n\n')}\n`;
  return text.length <= maxChars
    ? text
    : `${text.slice(0, maxChars - 80)}\n\n*… cut to fit a comment; see the HTML report.*\n`;
}

export function renderCheckJunit(result: CheckRunResult): string {
  const suites: JunitSuite[] = result.checks.map((c) => {
    if (c.result) {
      const suite = c.result.command === 'drift' ? driftSuite(c.result as never) : diffSuite(c.result);
      suite.name = c.name;
      if (c.status === 'baselined') {
        // Accepted differences are not failures of this run; keep them visible as output.
        suite.cases = suite.cases.map((t) =>
          t.failure
            ? { ...t, failure: undefined, systemOut: `accepted in the baseline: ${t.failure.message}` }
            : t,
        );
      }
      if (c.baseline && c.status === 'fail')
        suite.systemOut.push(
          ...c.baseline.new.map((n) => `new or worse than the baseline: ${n}`),
          ...c.baseline.expired,
        );
      return suite;
    }
    return {
      name: c.name,
      properties: [['kind', c.kind]],
      cases: [
        c.status === 'skipped'
          ? { classname: `skewcheck.${c.name}`, name: c.name, skipped: c.skipped_reason ?? 'skipped' }
          : {
              classname: `skewcheck.${c.name}`,
              name: c.name,
              failure: { type: 'error', message: c.headline, details: c.error ?? '' },
            },
      ],
      systemOut: [],
    };
  });
  return renderJunitSuites(suites);
}

/** One page: the summary table, then each check's own report as a section. */
export function renderCheckHtml(result: CheckRunResult): string {
  let style = '';
  const sections = result.checks.map((c, i) => {
    const anchor = `check-${i}`;
    let inner = `<p>${escapeHtml(c.headline)}</p>${c.error ? `<pre>${escapeHtml(c.error)}</pre>` : ''}`;
    if (c.result) {
      // Through the registry: the HTML renderer (and Vega) is loaded only when asked for.
      const html = renderReport('html', c.result);
      style ||= /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
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
<style>${style}
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
