// Where rendered results go: stdout, or a file written atomically. Colour only on a TTY.
import { writeAtomically } from '../io/index.js';
import { resultJson } from '../report/json.js';
import type { CliContext } from './context.js';

/** Write JSON to `target`: '-' for stdout, else a file path. */
export function writeJson(context: CliContext, result: unknown, target: string): void {
  const text = resultJson(result);
  if (target === '-') context.stdout.write(text);
  else writeAtomically(target, text);
}

export function colorEnabled(stream: NodeJS.WritableStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean((stream as NodeJS.WriteStream).isTTY);
}
