// Finding, parsing and validating the project config. Errors name the file, the path of the
// bad key and, for YAML, its line. Paths in the config are relative to the config file.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Node } from 'yaml';
import type { z } from 'zod';
import { InputError, messageOf } from '../errors.js';
import { packageEntry } from '../replay/module-loader.js';
import { checkPathsInside } from './paths.js';
import { configSchema, type SkewcheckConfig } from './schema.js';

// jiti and yaml are loaded when a config file is read, not at every command's start.
const require = createRequire(import.meta.url);
const yaml = () => require('yaml') as typeof import('yaml');

export const CONFIG_NAMES = [
  'skewcheck.config.ts',
  'skewcheck.config.mts',
  'skewcheck.config.js',
  'skewcheck.config.mjs',
  'skewcheck.yaml',
  'skewcheck.yml',
];

export interface LoadedConfig {
  path: string;
  dir: string;
  config: SkewcheckConfig;
  /** Source line of a key path (YAML only), for error messages about entries. */
  lineOf(path: (string | number)[]): number | undefined;
}

/** Walk up from `from` to the filesystem root looking for a config file. */
export function findConfig(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function keyPath(path: PropertyKey[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replaceAll('.[', '[') || '(top level)'
  );
}

/** Parse YAML text, keeping line positions. */
export function parseYaml(text: string, file: string) {
  const { isMap, isScalar, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new InputError(`${file}:${line}: invalid YAML: ${error.message.split('\n')[0]}`, { file, line });
  }
  const lineOf = (path: (string | number)[], key?: string): number | undefined => {
    const node = (path.length ? document.getIn(path, true) : document.contents) as Node | undefined;
    let target: Node | undefined = node;
    if (key !== undefined && node && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      target = (pair?.key as Node | undefined) ?? node;
    }
    const offset = target?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  let value: unknown;
  try {
    // Aliases are capped (an "alias bomb" expands a few lines into billions of nodes).
    value = document.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw new InputError(`${file}: invalid YAML: ${messageOf(error)} (too many aliases)`, { file });
  }
  return { value, lineOf };
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  if (!existsSync(path)) throw new InputError(`config file not found: ${file}`, { file });
  let raw: unknown;
  let lineOf: (path: (string | number)[], key?: string) => number | undefined = () => undefined;
  if (/\.ya?ml$/.test(path)) {
    const parsed = parseYaml(readFileSync(path, 'utf8'), file);
    raw = parsed.value;
    lineOf = parsed.lineOf;
  } else {
    try {
      const { createJiti } = require('jiti') as typeof import('jiti');
      const jiti = createJiti(import.meta.url, {
        alias: { skewcheck: packageEntry() },
        moduleCache: false,
        fsCache: false,
      });
      raw = await jiti.import(path, { default: true });
    } catch (error) {
      throw new InputError(`cannot load the config ${file}: ${messageOf(error)}`, { file });
    }
  }
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw configError(file, parsed.error.issues, lineOf);
  checkPathsInside(parsed.data, path, (p) => lineOf(p));
  return { path, dir: dirname(path), config: parsed.data, lineOf: (p) => lineOf(p) };
}

function configError(
  file: string,
  issues: z.core.$ZodIssue[],
  lineOf: (path: (string | number)[], key?: string) => number | undefined,
): InputError {
  const messages = issues.slice(0, 5).map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    let where = keyPath(path);
    let line = lineOf(path);
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      where = keyPath([...path, key]);
      line = lineOf(path, key);
      message = `unknown key "${issue.keys.join('", "')}"`;
    }
    return `${file}${line ? `:${line}` : ''}: ${where}: ${message}`;
  });
  const more = issues.length > 5 ? `\n(and ${issues.length - 5} more)` : '';
  return new InputError(`invalid config:\n  ${messages.join('\n  ')}${more}`, { file });
}
