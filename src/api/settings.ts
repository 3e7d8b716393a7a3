// Library options are checked against the same schemas as the config, and a mistake the command
// line can make reads exactly as the command line says it (the message names the flag).
import type { z } from 'zod';
import type { SettingLabel } from '../config/resolve.js';
import { UsageError } from '../errors.js';

/** Validate `settings` with `schema`, then resolve them to a core function's options. */
export function resolveSettings<Settings, Options>(
  schema: z.ZodType<Settings>,
  settings: unknown,
  label: SettingLabel,
  resolve: (settings: Settings, label: SettingLabel) => Options,
): Options {
  const parsed = schema.safeParse(settings);
  if (parsed.success) return resolve(parsed.data, label);
  // Where the command line has a message for this mistake, give that one.
  try {
    resolve(settings as Settings, label);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    throw new UsageError(`unknown option${issue.keys.length > 1 ? 's' : ''} "${issue.keys.join('", "')}"`);
  }
  throw new UsageError(`${path === '' ? 'options' : `${path} (${label(path)})`}: ${issue.message}`);
}
