// The first divergent events of a replay (result.first_divergence) in words, for every format:
// a headline, a few bisected windows with the event after which the two sides part (all its
// columns), and the predicates those events share — a correlation, shown as "may be".
import type { DiffResult, FirstDivergentEvent } from '../diff/index.js';
import { escapeHtml, mdCode, mdText } from './escape.js';
import { int, keyText, time, value } from './format.js';

const EXAMPLES = 3;

export interface FirstDivergenceText {
  headline: string;
  /** "where" is the window and the event's position, "event" every column as name=value. */
  events: { where: string; event: string }[];
  shared: string[];
}

export function firstDivergenceText(
  result: DiffResult,
  examples = EXAMPLES,
): FirstDivergenceText | undefined {
  const found = result.first_divergence;
  if (!found || found.sampled === 0) return undefined;
  const left = [
    found.agree_alone > 0
      ? `${int(found.agree_alone)} agree when their window's events are replayed alone`
      : '',
    found.without_events > 0 ? `${int(found.without_events)} have no event of their key in their window` : '',
    found.failed > 0 ? `${int(found.failed)} could not be replayed alone` : '',
  ].filter(Boolean);
  const headline =
    `bisected ${int(found.events.length)} of ${int(found.sampled)} sampled differing rows to the first event after which batch and stream disagree` +
    (left.length > 0 ? ` (${left.join('; ')})` : '');
  return {
    headline,
    events: found.events.slice(0, examples).map((e) => ({ where: whereText(e), event: eventText(e) })),
    shared: found.profile.map((p) => p.message),
  };
}

function whereText(e: FirstDivergentEvent): string {
  const window = Object.values(e.window)
    .map((v) => time(v))
    .join(' → ');
  return `${keyText(e.key)} ${window}: event ${int(e.position)} of ${int(e.window_events)}`;
}

/** Every column as name=value; strings JSON-quoted, so control characters and quotes show escaped. */
function eventText(e: FirstDivergentEvent): string {
  return Object.entries(e.event)
    .map(
      ([name, v]) => `${name}=${typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? time(v) : value(v)}`,
    )
    .join(' ');
}

export function firstDivergenceTerminal(result: DiffResult, dim: (text: string) => string): string[] {
  const text = firstDivergenceText(result);
  if (!text) return [];
  const lines = ['First divergent events', `  ${text.headline}`];
  for (const e of text.events) lines.push(`  ${e.where}`, dim(`      ${e.event}`));
  if (text.shared.length > 0) {
    lines.push('  what they share (may be: a correlation, not reproduced):');
    for (const s of text.shared) lines.push(`    ${s}`);
  }
  lines.push('');
  return lines;
}

export function firstDivergenceMarkdown(result: DiffResult): string[] {
  const text = firstDivergenceText(result);
  if (!text) return [];
  const lines = [`**First divergent events**: ${mdText(text.headline, { max: 400 })}`, ''];
  for (const e of text.events)
    lines.push(`- ${mdText(e.where, { max: 300 })}: ${mdCode(e.event, { max: 600 })}`);
  if (text.events.length > 0) lines.push('');
  for (const s of text.shared)
    lines.push(`> **May be** (consistent, not reproduced): ${mdText(s, { max: 300 })}`, '');
  return lines;
}

export function firstDivergenceHtml(result: DiffResult): string {
  const text = firstDivergenceText(result);
  if (!text) return '';
  const h = escapeHtml;
  const events = text.events.map((e) => `<li>${h(e.where)}<br><code>${h(e.event)}</code></li>`).join('');
  const shared = text.shared
    .map((s) => `<div class="cause"><b>May be</b> (consistent, not reproduced): ${h(s)}</div>`)
    .join('\n');
  return `<section><h2>First divergent events</h2><p class="explain">${h(text.headline)}</p>${events ? `<ul>${events}</ul>` : ''}${shared}</section>`;
}

/** Lines for a JUnit suite's system-out. */
export function firstDivergenceJunit(result: DiffResult): string[] {
  const text = firstDivergenceText(result);
  if (!text) return [];
  return [
    `first divergent events: ${text.headline}`,
    ...text.events.map((e) => `  ${e.where}: ${e.event}`),
    ...text.shared.map((s) => `  may be: ${s}`),
  ];
}
