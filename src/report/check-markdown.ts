// The Markdown summary of a `check` run for the pull request: a table of the checks, then the
// failing checks' own reports, folded, sharing the room a comment has.
import type { CheckRunResult } from '../check/types.js';
import { CHECK_LABEL as LABEL, checkVerdictLine as verdictLine } from './check-text.js';
import { mdCode, mdHtml, mdText } from './escape.js';
import { MARKDOWN_MAX_CHARS, renderMarkdown } from './markdown.js';

export function renderCheckMarkdown(result: CheckRunResult, maxChars = MARKDOWN_MAX_CHARS): string {
  const head = [
    `## skewcheck check: ${verdictLine(result)}`,
    '',
    '| check | kind | verdict | headline |',
    '| --- | --- | --- | --- |',
    ...result.checks.map(
      (c) =>
        `| ${mdCode(c.name, { inTable: true })} | ${c.kind} | ${LABEL[c.status]} | ${mdText(c.headline, { inTable: true })} |`,
    ),
    '',
    ...result.notes.map((n) => `> ${mdText(n)}`),
  ].join('\n');
  // The failing checks' own reports, folded, sharing what room is left.
  const detailed = result.checks.filter((c) => c.result && (c.status === 'fail' || c.status === 'baselined'));
  const errors = result.checks.filter((c) => c.status === 'error');
  const room = Math.max(2_000, maxChars - head.length - 2_000);
  const each = Math.floor(room / Math.max(1, detailed.length));
  const sections = [
    ...errors.map(
      (c) =>
        `<details><summary>⚠️ ${mdHtml(c.name)}: could not run</summary>\n\n\`\`\`\n${(c.error ?? '').replaceAll('```', "'''")}\n\`\`\`\n</details>`,
    ),
    ...detailed.map(
      (c) =>
        `<details><summary>${LABEL[c.status]} ${mdHtml(c.name)}</summary>\n\n${renderMarkdown(c.result!, each).trim()}\n\n</details>`,
    ),
  ];
  const text = `${[head, ...sections].join('\n\n')}\n`;
  return text.length <= maxChars
    ? text
    : `${text.slice(0, maxChars - 80)}\n\n*… cut to fit a comment; see the HTML report.*\n`;
}
