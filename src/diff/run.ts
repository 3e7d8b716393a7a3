// `diff`: the diff engine on two precomputed outputs (Parquet/CSV/JSON/Arrow dumps).
import { diagnoser } from '../diagnose/index.js';
import { type Format, registerSource, withSession } from '../io/index.js';
import { diffTables } from './engine.js';
import type { DiffResult, Tolerance } from './types.js';

export interface DiffFilesOptions {
  leftPath: string;
  rightPath: string;
  format?: Format;
  keyColumns: string[];
  timeColumns?: string[];
  tolerance?: Tolerance;
  featureTolerances?: Record<string, Tolerance>;
  maxMismatchRate?: number;
  sampleSize?: number;
  mismatchesPath?: string;
}

export async function diffFiles(options: DiffFilesOptions): Promise<DiffResult> {
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
      keyColumns: options.keyColumns,
      timeColumns: options.timeColumns,
      tolerance: options.tolerance,
      featureTolerances: options.featureTolerances,
      maxMismatchRate: options.maxMismatchRate,
      sampleSize: options.sampleSize,
      mismatchesPath: options.mismatchesPath,
      inspect: diagnoser(),
    });
  });
}
