// A command's setting flags from its typed flag table (config/flags.ts): registered on the
// commander command, and read back as the command's settings, the shape the config and the
// library API take.
import { type Command, Option } from 'commander';
import type { AnyFlag, FlagGroup, FlagTable } from '../config/flags.js';
import { longFlag } from '../config/flags.js';

type Entry = AnyFlag | FlagGroup<Record<string, unknown>>;

function entries(table: object): [string, Entry][] {
  return Object.entries(table as Record<string, Entry>);
}

/** Add every flag of the table to the command, in the table's order. */
export function addSettingFlags<Settings extends object>(
  command: Command,
  table: FlagTable<Settings>,
): Command {
  for (const [, entry] of entries(table)) {
    if ('parts' in entry) {
      addSettingFlags(command, entry.parts);
      continue;
    }
    // commander shows a default only when it holds one; the value itself comes from
    // config/resolve.ts, so the help says it in the same words without setting it.
    const shown =
      entry.shownDefault === undefined ? '' : ` (default: ${JSON.stringify(String(entry.shownDefault))})`;
    const option = new Option(entry.flag, `${entry.description}${shown}`)
      .argParser((text: string, previous: unknown) => entry.parse(text, longFlag(entry.flag), previous))
      .makeOptionMandatory(entry.required === true);
    command.addOption(option);
  }
  return command;
}

/** The settings given on the command line (commander's parsed options), keyed as in the config. */
export function settingsFromFlags<Settings extends object>(
  options: Record<string, unknown>,
  table: FlagTable<Settings>,
): Settings {
  const settings: Record<string, unknown> = {};
  for (const [key, entry] of entries(table)) {
    if ('parts' in entry) {
      const parts = settingsFromFlags(options, entry.parts) as Record<string, unknown>;
      if (Object.keys(parts).length > 0) settings[key] = parts;
      continue;
    }
    const value = options[new Option(entry.flag).attributeName()];
    if (value !== undefined) settings[key] = value;
  }
  return settings as Settings;
}
