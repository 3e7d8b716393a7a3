// One-paragraph messages for the typed errors; anything else is a bug and keeps its stack.
import { InputError, UsageError, UserCodeError } from './errors.js';

function inline(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  try {
    return (
      JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value)
    );
  } catch {
    return String(value);
  }
}

export function formatError(error: unknown): string {
  if (error instanceof UsageError) return `skewcheck: ${error.message}\n(run with --help for usage)`;
  if (error instanceof InputError) {
    const where = [
      error.file ? `file ${error.file}` : '',
      error.column ? `column "${error.column}"` : '',
      error.line ? `line ${error.line}` : '',
    ].filter(Boolean);
    const suffix =
      where.length > 0 && !where.every((w) => error.message.includes(w.split(' ').slice(1).join(' ')))
        ? ` (${where.join(', ')})`
        : '';
    return `skewcheck: ${error.message}${suffix}`;
  }
  if (error instanceof UserCodeError) {
    const w = error.where;
    const parts = [`skewcheck: the streaming module ${w.module} ${error.message}`];
    if (w.eventNumber !== undefined) parts.push(`at event #${w.eventNumber} in replay order`);
    if (w.key !== undefined) parts.push(`key ${inline(w.key)}`);
    if (w.time !== undefined) parts.push(`time ${inline(w.time)}`);
    let text = parts.join(', ');
    if (w.event) text += `\n  event: ${inline(w.event)}`;
    if (w.frame) text += `\n  at ${w.frame}`;
    return text;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `skewcheck: internal error (this is a bug in skewcheck, please report it with the command you ran)\n${stack}`;
}
