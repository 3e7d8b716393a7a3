// Loads the user's streaming module (.ts or .js) at run time with jiti — no build step for the
// user — and checks that its default export is one of the two shapes of the contract.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Jiti } from 'jiti';
import { InputError, messageOf, UserCodeError } from '../errors.js';
import type { StreamingFeature, StreamProcessor } from './contract.js';
import { isWindowSpec } from './windows.js';

/** jiti, loaded on first use: the main thread of most commands never loads a module (about 0.1 s of start-up). */
function createJiti(...args: Parameters<typeof import('jiti').createJiti>): Jiti {
  const jiti = createRequire(import.meta.url)('jiti') as typeof import('jiti');
  return jiti.createJiti(...args);
}

export type LoadedModule =
  | { kind: 'feature'; path: string; feature: StreamingFeature }
  | { kind: 'processor'; path: string; processor: StreamProcessor };

/** The package's own entry, so `import … from 'skewcheck'` in a user module always resolves. */
export function packageEntry(): string {
  const built = fileURLToPath(new URL('../index.js', import.meta.url));
  if (existsSync(built)) return built;
  return fileURLToPath(new URL('../index.ts', import.meta.url));
}

/** The lean entry a streaming module's `import … from 'skewcheck'` resolves to (module-api.ts). */
function streamingEntry(): string {
  const built = fileURLToPath(new URL('./module-api.js', import.meta.url));
  if (existsSync(built)) return built;
  return fileURLToPath(new URL('./module-api.ts', import.meta.url));
}

const FEATURE_FUNCTIONS = ['key', 'init', 'add', 'emit'] as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const keys = Object.keys(value);
  return keys.length ? `an object with ${keys.join(', ')}` : 'an empty object';
}

/** `transpiles`: a folder where the transpiled module is kept, for later loads (see moduleReloader). */
export async function loadStreamingModule(path: string, transpiles?: string): Promise<LoadedModule> {
  const jiti = createJiti(import.meta.url, {
    alias: { skewcheck: streamingEntry() },
    moduleCache: false,
    fsCache: transpiles ?? false,
    sourceMaps: true,
    interopDefault: false,
  });
  return importModule(jiti, path);
}

/**
 * Loads one module again and again, each time fresh — its module-level state, and that of the
 * files it imports, start empty — while skewcheck's own entry and node_modules stay loaded and
 * transpiles are cached in `transpileCache`: for the first-divergence bisection, which replays
 * many short prefixes of the log.
 */
export function moduleReloader(transpileCache: string): (path: string) => Promise<LoadedModule> {
  const jiti = createJiti(import.meta.url, {
    alias: { skewcheck: streamingEntry() },
    moduleCache: true,
    fsCache: transpileCache,
    sourceMaps: true,
    interopDefault: false,
  });
  const loadedBefore = new Set(Object.keys(jiti.cache));
  const ownCode = dirname(dirname(streamingEntry()));
  const stays = (file: string) =>
    loadedBefore.has(file) || file.startsWith(ownCode) || file.includes(`${sep}node_modules${sep}`);
  return (path) => {
    for (const file of Object.keys(jiti.cache)) if (!stays(file)) delete jiti.cache[file];
    return importModule(jiti, path);
  };
}

async function importModule(jiti: Jiti, path: string): Promise<LoadedModule> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new InputError(`streaming module not found: ${path}`, { file: path });
  // Stack traces from the user's code point at their own .ts lines.
  process.setSourceMapsEnabled(true);
  let namespace: unknown;
  try {
    namespace = await jiti.import(absolute);
  } catch (error) {
    throw new UserCodeError(`failed to load: ${messageOf(error)}`, {
      module: path,
      frame: frameIn(error, absolute),
    });
  }
  const exported = defaultExport(namespace);
  const hint =
    "export default defineStreamingFeature({ key, window, init, add, emit }) or defineStreamProcessor({ onEvent, onEnd? }) from 'skewcheck'";
  if (exported === undefined || exported === null || typeof exported !== 'object') {
    throw new InputError(
      `the streaming module ${path} has no valid default export (got ${describe(exported)}); expected ${hint}`,
      { file: path },
    );
  }
  const candidate = exported as Record<string, unknown>;
  if (typeof candidate.onEvent === 'function') {
    if (candidate.onEnd !== undefined && typeof candidate.onEnd !== 'function') {
      throw new InputError(`the streaming module ${path}: onEnd must be a function`, { file: path });
    }
    return { kind: 'processor', path, processor: candidate as unknown as StreamProcessor };
  }
  const missing = FEATURE_FUNCTIONS.filter((name) => typeof candidate[name] !== 'function');
  if (missing.length > 0 || !isWindowSpec(candidate.window)) {
    const problems = [
      ...missing.map((m) => `${m} is not a function`),
      ...(isWindowSpec(candidate.window) ? [] : ['window is not a window from tumbling()/hopping()']),
    ];
    throw new InputError(
      `the streaming module ${path} has no valid default export (${problems.join('; ')}); expected ${hint}`,
      { file: path },
    );
  }
  return { kind: 'feature', path, feature: candidate as unknown as StreamingFeature };
}

/**
 * The module's default export. A CommonJS module (`module.exports = defineStreamingFeature(…)`)
 * has none of its own: its exports object is the feature or processor.
 */
function defaultExport(namespace: unknown): unknown {
  if (namespace === null || typeof namespace !== 'object') return undefined;
  const ns = namespace as Record<string, unknown>;
  if (ns.default !== undefined) return ns.default;
  const looksLikeContract =
    typeof ns.onEvent === 'function' || FEATURE_FUNCTIONS.some((name) => typeof ns[name] === 'function');
  return looksLikeContract ? namespace : undefined;
}

/** The first stack frame that points into the user's module. */
export function frameIn(error: unknown, modulePath: string): string | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (!stack) return undefined;
  const absolute = resolve(modulePath);
  const line = stack
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.includes(absolute));
  return line?.replace(/^at\s+/, '');
}
