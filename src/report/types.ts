// The renderer contract: for every result kind (replay, diff, drift, check) a table with one
// render function per report format. Renderers only read results.
// `check` is a higher layer: only its result type is imported (erased at run time).
import type { CheckRunResult } from '../check/types.js';
import type { DiffResult } from '../diff/index.js';
import type { DriftReport } from './drift-text.js';
import type { ReportFormat } from './formats.js';

/** When a run ended and how long it took; unknown when a saved result is re-rendered. */
export interface RunTiming {
  /** Unix time in seconds. */
  finishedAt: number;
  durationSeconds?: number;
}

export type { ReportFormat };

/** The result each `command` produces. */
export interface ResultKinds {
  replay: DiffResult;
  diff: DiffResult;
  drift: DriftReport;
  check: CheckRunResult;
}

/** Anything skewcheck produces that a report can be rendered from. */
export type ReportResult = ResultKinds[keyof ResultKinds];

export interface RenderOptions {
  /** ANSI colours (terminal only). */
  color?: boolean;
  /** Markdown: most characters in all (GitHub rejects comments over 65,536). */
  maxChars?: number;
  /** check, terminal only: how long each check took, in ms, by check name. */
  durations?: ReadonlyMap<string, number>;
  /** When the run ended (Unix seconds) and how long it took: the prom format's run metrics. */
  run?: RunTiming;
}

export type RenderFunction<R> = (result: R, options: RenderOptions) => string;

/**
 * One render function per format: a missing format is a compile error where a table is declared
 * (`F` is there for the test of that: it adds a format that no table has).
 */
export type RenderTable<R, F extends string = ReportFormat> = { readonly [K in F]: RenderFunction<R> };

export function isDriftResult(result: DiffResult | DriftReport): result is DriftReport {
  return result.command === 'drift';
}
