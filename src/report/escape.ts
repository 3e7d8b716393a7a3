// Escaping of data values (feature names, keys, categories, sources) for each output format.
// Every value that comes from the data goes through one of these before it reaches a report.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Cut a text to at most `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

function oneLine(text: string): string {
  // A newline would end a Markdown table row; show it instead of obeying it.
  return text.replace(/\r\n|\r|\n/g, '⏎').replace(/\t/g, ' ');
}

/**
 * A Markdown code span holding `text` literally: no emphasis, links, HTML or @mentions.
 * In a table cell (`inTable`) pipes are escaped, as GFM splits cells before it parses spans.
 */
export function mdCode(text: string, options: { inTable?: boolean; max?: number } = {}): string {
  let body = oneLine(clip(text, options.max ?? 120));
  if (options.inTable) body = body.replaceAll('|', '\\|');
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A span that starts or ends with a backtick or a space needs one space of padding on both sides.
  const pad = /^[`\s]|[`\s]$/.test(body) || body === '' ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * Plain Markdown text that renders as written: HTML is escaped, Markdown punctuation is
 * backslash-escaped, and an @ cannot turn into a mention.
 */
export function mdText(text: string, options: { inTable?: boolean; max?: number } = {}): string {
  const body = oneLine(clip(text, options.max ?? 2000));
  return body
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!)
    .replace(/[\\`*_[\]#|~]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u2060');
}

/**
 * Text inside an HTML block of a Markdown document (a `<summary>`), where Markdown is not parsed
 * but GitHub still links @mentions: HTML is escaped and an @ cannot turn into a mention.
 */
export function mdHtml(text: string): string {
  return escapeHtml(oneLine(text)).replace(/@/g, '@\u2060');
}
