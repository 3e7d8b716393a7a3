// Where rendered results go: stdout, or a file written atomically. Colour only on a TTY.
import { writeAtomically } from '../io/index.js';
import type { CliContext } from './main.js';

/** Serialise a result as stable, pretty JSON (bigints as numbers when safe, else strings). */
export function toJson(result: unknown): string {
  return `${JSON.stringify(
    result,
    (_key, value: unknown) => {
      if (typeof value === 'bigint') {
        return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
          ? Number(value)
          : value.toString();
      }
      return value;
    },
    2,
  )}\n`;
}

/** Write JSON to `target`: '-' for stdout, else a file path. */
export function writeJson(context: CliContext, result: unknown, target: string): void {
  const text = toJson(result);
  if (target === '-') context.stdout.write(text);
  else writeAtomically(target, text);
}

export function colorEnabled(stream: NodeJS.WritableStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean((stream as NodeJS.WriteStream).isTTY);
}
