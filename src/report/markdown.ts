// The Markdown renderer: a PR comment or job summary that stays readable and below GitHub's
// 65,536-character limit however many features fail — tables are cut with a count, and when
// even that is too long the detail sections are dropped.
import type { DiffResult } from '../diff/index.js';
import type { DriftReport } from './drift-text.js';
import { renderDiffMarkdown } from './markdown-diff.js';
import { renderDriftMarkdown } from './markdown-drift.js';
import { MARKDOWN_LIMITS, type MarkdownLimits } from './markdown-table.js';
import { isDriftResult } from './types.js';

/** Below GitHub's 65,536-character limit for a comment, with room for a caller's own text. */
export const MARKDOWN_MAX_CHARS = 60_000;

function renderWith(result: DiffResult | DriftReport, limits: MarkdownLimits): string {
  return isDriftResult(result) ? renderDriftMarkdown(result, limits) : renderDiffMarkdown(result, limits);
}

/** The Markdown report of a replay, diff or drift result, in at most `maxChars` characters. */
export function renderMarkdown(result: DiffResult | DriftReport, maxChars = MARKDOWN_MAX_CHARS): string {
  for (const limits of MARKDOWN_LIMITS) {
    const text = renderWith(result, limits);
    if (text.length <= maxChars) return text;
  }
  // Still too long (a very long reason or note): keep the head, cut at a line boundary.
  const text = renderWith(result, MARKDOWN_LIMITS[MARKDOWN_LIMITS.length - 1]!);
  const marker = '\n\n*… report cut to fit the size of a comment; see the JSON or HTML report.*\n';
  const room = Math.max(0, maxChars - marker.length);
  const cut = text.lastIndexOf('\n', room);
  return `${text.slice(0, cut > 0 ? cut : room)}${marker}`;
}
