// Paths in a config stay inside the project — the folder that holds the config, and everything
// below it — unless the config says otherwise (`allowPathsOutside: true`). A config found by
// walking up from the working directory, or one from a pull request, must not quietly read
// `../../secrets.parquet` or write a report over a file elsewhere on the machine.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import type { SkewcheckConfig } from './schema.js';

/** Every path a config names, with its key path (for the message and the YAML line). */
function configPaths(config: SkewcheckConfig): { path: (string | number)[]; value: string }[] {
  const found: { path: (string | number)[]; value: string }[] = [];
  const add = (path: (string | number)[], value: string | undefined) => {
    if (value !== undefined && value !== '-') found.push({ path, value });
  };
  for (const [name, set] of Object.entries(config.featureSets ?? {})) {
    for (const key of ['events', 'batch', 'stream', 'mismatches'] as const)
      add(['featureSets', name, key], set[key]);
  }
  for (const [name, check] of Object.entries(config.driftChecks ?? {})) {
    for (const key of ['train', 'prod'] as const) add(['driftChecks', name, key], check[key]);
  }
  for (const [format, file] of Object.entries(config.reports ?? {})) add(['reports', format], file);
  add(['baseline'], config.baseline);
  return found;
}

/** The real location of a path that may not exist yet (or be a glob): its longest existing ancestor, resolved. */
function realLocation(path: string): string {
  const fixed = path.split(sep).findIndex((part) => /[*?[{]/.test(part));
  let probe = fixed >= 0 ? path.split(sep).slice(0, fixed).join(sep) || sep : path;
  const rest: string[] = [];
  while (!existsSync(probe) && dirname(probe) !== probe) {
    rest.unshift(basename(probe));
    probe = dirname(probe);
  }
  return resolve(realpathSync(probe), ...rest);
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Refuse any config path whose real location (symlinks followed) is outside the config's folder. */
export function checkPathsInside(
  config: SkewcheckConfig,
  configFile: string,
  lineOf: (path: (string | number)[]) => number | undefined,
): void {
  if (config.allowPathsOutside === true) return;
  const project = realpathSync(dirname(configFile));
  for (const { path, value } of configPaths(config)) {
    const location = realLocation(resolve(dirname(configFile), value));
    if (inside(project, location)) continue;
    const line = lineOf(path);
    const place = `${relative(process.cwd(), configFile) || configFile}${line ? `:${line}` : ''}`;
    throw new InputError(
      `${place}: ${path.join('.')}: ${JSON.stringify(value)} is outside the project folder ${project} (the config's folder)` +
        `${location !== resolve(dirname(configFile), value) ? `; it resolves to ${location}` : ''}. ` +
        'Paths in a config stay inside its folder unless the config says `allowPathsOutside: true`.',
      { file: configFile, line },
    );
  }
}
