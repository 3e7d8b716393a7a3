// Data values made safe for plain text (terminal, Markdown, JUnit): a feature name, key or note
// from the data must not move the cursor, colour the log, start a new line or reorder what
// follows (a key holding ESC, CR or LF could draw a fake green PASS line in a CI log). Control
// characters become visible: C0 as the Unicode control pictures (␛, ␍, …), a newline as ⏎,
// C1 and bidirectional controls as <U+202E>. Every string of a result goes through it, a
// multi-line error message too (its lines then read as one, joined by ⏎): data inside it could
// otherwise start a line of its own.

/** C0 and DEL, C1, and the characters that change line or text direction. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string, keepNewlines: boolean): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return keepNewlines ? char : '⏎';
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '␡';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** `text` with its control characters shown, not obeyed (`keepNewlines`: LF stays a newline). */
export function plainText(text: string, keepNewlines = false): string {
  return text.replace(UNSAFE, (char) => visible(char, keepNewlines));
}

function plainValue(value: unknown): unknown {
  if (typeof value === 'string') return plainText(value);
  if (Array.isArray(value)) return value.map(plainValue);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [plainText(k), plainValue(v)]));
}

/** A copy of a result with every string in it (and every key of a record) through plainText. */
export function plainResult<T>(result: T): T {
  return plainValue(result) as T;
}
