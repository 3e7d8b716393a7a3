// Inputs are never overwritten: every input a run reads (data files and folders, the SQL file,
// the streaming module, the config, a saved result) is recorded here, and every output path is
// checked against them before anything is written — after resolving symlinks, and for a file
// that does not exist yet, through its folder's real path.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';

const inputs = new Map<string, string>();

/** The real path of `path`, or of its folder plus its name when it does not exist yet. */
export function realPathOf(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute
      ? absolute
      : `${realPathOf(parent).replace(/[\\/]+$/, '')}${sep}${basename(absolute)}`;
  }
}

/** Record `path` (a file or a folder; globs are recorded by their folder-free prefix) as an input. */
export function protectInput(path: string, what: string): void {
  const plain = path.split(/[*?[{]/)[0]!;
  const target = /[*?[{]/.test(path) ? dirname(`${plain}x`) : plain;
  if (!target || (!existsSync(target) && target !== plain)) return;
  inputs.set(realPathOf(target), what);
}

/** Throw a UsageError when writing `path` would overwrite an input or write into an input folder. */
export function refuseOverwritingInput(path: string, flag: string): void {
  if (path === '-') return;
  const real = realPathOf(path);
  for (const [input, what] of inputs) {
    if (real === input || real.startsWith(`${input}${sep}`)) {
      throw new UsageError(
        `${flag} ${path} would overwrite ${real === input ? '' : 'a file inside '}the ${what} (${input}); write the output somewhere else`,
      );
    }
  }
}
