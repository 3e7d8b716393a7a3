// `diff`: the diff engine on two precomputed outputs (Parquet/CSV/JSON/Arrow dumps).
import { type Format, registerSource, withSession } from '../io/index.js';
import { type DiffOptions, diffTables } from './engine.js';
import type { DiffResult } from './types.js';

/**
 * The engine's settings, with two files in place of two registered tables. `inspect` (e.g. the
 * diagnosis) is supplied by the caller: the diff layer does not import the layers above it.
 */
export type DiffFilesOptions = Omit<DiffOptions, 'command' | 'left' | 'right'> & {
  leftPath: string;
  rightPath: string;
  format?: Format;
};

export async function diffFiles(options: DiffFilesOptions): Promise<DiffResult> {
  const { leftPath: _left, rightPath: _right, format: _format, ...settings } = options;
  return withSession(async (session) => {
    await registerSource(session, '__skewcheck_left', options.leftPath, {
      format: options.format,
      what: '--left',
    });
    await registerSource(session, '__skewcheck_right', options.rightPath, {
      format: options.format,
      what: '--right',
    });
    return diffTables(session, {
      command: 'diff',
      left: {
        table: '__skewcheck_left',
        label: 'left',
        source: options.leftPath,
        describe: `--left ${options.leftPath}`,
      },
      right: {
        table: '__skewcheck_right',
        label: 'right',
        source: options.rightPath,
        describe: `--right ${options.rightPath}`,
      },
      ...settings,
    });
  });
}
