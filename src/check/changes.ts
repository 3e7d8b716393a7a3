// `--changed-since <ref>`: which checks have an input that changed since a git ref — the SQL
// file, the streaming module and the local modules it imports, the data files, and the check's
// own entry in the config — so a pull request that touches one feature runs one check.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export interface GitChanges {
  root: string;
  ref: string;
  /** Absolute paths of files that differ from the ref (committed, staged, unstaged or untracked). */
  files: Set<string>;
  /** The content of a file at the ref, or undefined if it did not exist. */
  atRef(path: string): string | undefined;
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 2 ** 20,
  });
}

/** Changed files since `ref`, or undefined when `cwd` is not inside a git work tree. */
export function gitChanges(cwd: string, ref: string): GitChanges | undefined {
  let root: string;
  try {
    root = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  } catch {
    return undefined;
  }
  try {
    git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`--changed-since: "${ref}" is not a commit in the git repository at ${root}`);
  }
  const names = [
    ...git(root, ['diff', '--name-only', '-z', ref]).split('\0'),
    ...git(root, ['ls-files', '--others', '--exclude-standard', '-z']).split('\0'),
  ].filter(Boolean);
  return {
    root,
    ref,
    files: new Set(names.map((n) => resolve(root, n))),
    atRef(path) {
      try {
        return git(root, ['show', `${ref}:${relative(root, path).split('\\').join('/')}`]);
      } catch {
        return undefined;
      }
    },
  };
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;
const EXTENSIONS = ['', '.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.json'];

function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.') && !isAbsolute(specifier)) return undefined; // a package, not ours
  const base = resolve(dirname(from), specifier);
  const candidates = [
    ...EXTENSIONS.map((e) => base + e),
    // TypeScript sources are imported with .js extensions.
    ...(extname(base) === '.js' ? [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx')] : []),
    ...EXTENSIONS.slice(1).map((e) => join(base, `index${e}`)),
  ];
  return candidates.find((c) => existsSync(c) && !c.endsWith('/'));
}

/** `import(…)` or `require(…)` whose argument is not a plain string literal: computed at run time. */
const COMPUTED_IMPORT = /\b(?:import|require)\s*\(\s*(?!['"][^'"`$]*['"]\s*[,)])/;

/** A module's dependencies cannot all be known without running it (see `localModuleGraph`). */
export class UntraceableImportError extends Error {
  override name = 'UntraceableImportError';
}

/**
 * A module and every local module it imports, transitively. Throws UntraceableImportError when
 * a module loads code through a computed `import()`/`require()` or imports a local file that
 * does not exist: the graph would be incomplete, and a check must not be skipped on a guess.
 */
export function localModuleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [resolve(entry)];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const computed = COMPUTED_IMPORT.exec(text);
    if (computed) {
      const line = text.slice(0, computed.index).split('\n').length;
      throw new UntraceableImportError(
        `${file}:${line} loads a module through a computed import()/require(), so its dependencies cannot be traced`,
      );
    }
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
      const target = resolveLocal(file, specifier);
      if (target) stack.push(target);
      else if (specifier.startsWith('.') || isAbsolute(specifier)) {
        throw new UntraceableImportError(
          `${file} imports ${specifier}, which cannot be found, so its dependencies cannot be traced`,
        );
      }
    }
  }
  return [...seen].sort();
}

/** Glob (with * ? ** and [..]) to a RegExp over absolute paths. */
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      out += end > i ? glob.slice(i, end + 1) : '\\[';
      i = Math.max(end, i);
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Whether any changed file is this input: a file, a folder's content, or a glob match. */
export function inputChanged(input: string, changes: GitChanges): boolean {
  const path = resolve(input);
  if (/[*?[]/.test(input)) {
    const pattern = globToRegExp(path);
    return [...changes.files].some((f) => pattern.test(f));
  }
  if (changes.files.has(path)) return true;
  const folder = `${path}/`;
  return [...changes.files].some((f) => f.startsWith(folder));
}
