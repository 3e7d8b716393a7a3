// `skewcheck/vitest`: `expect(…).toHaveNoSkew()` and `expect(…).toHaveNoDrift()` for vitest.
// Importing this module registers both matchers; each runs the library API (or takes a result
// it already returned) and fails with the report a person reads in a test log: the headline,
// the features that differ, the top differing rows and keys, and the diagnosis.
import { expect } from 'vitest';
import { type DiffOptions, type DriftOptions, diff, drift, type ReplayOptions, replay } from './api/index.js';
import type { DiffResult } from './diff/index.js';
import type { DriftResult } from './drift/index.js';
import { renderReport } from './report/index.js';

/** Settings that override the subject's (e.g. `{ maxMismatchRate: 0.01 }`) when the matcher runs it. */
export type SkewMatcherOptions = Partial<ReplayOptions> | Partial<DiffOptions>;
/** Settings that override the subject's (e.g. `{ alpha: 0.01 }`) when the matcher runs it. */
export type DriftMatcherOptions = Partial<DriftOptions>;

export interface SkewcheckMatchers<R = unknown> {
  /**
   * The subject — `replay()` options, `diff()` options, or a result either returned — has no
   * training-serving skew: every (key, window) row agrees within tolerance (or within
   * `maxMismatchRate`). Await it: it runs the replay or the diff.
   */
  toHaveNoSkew(options?: SkewMatcherOptions): Promise<R>;
  /**
   * The subject — `drift()` options or a result it returned — shows no drift beyond the gate
   * (`maxDrifted`). Await it: it runs the tests.
   */
  toHaveNoDrift(options?: DriftMatcherOptions): Promise<R>;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: the type parameter must match vitest's own declaration
  interface Matchers<T = any> extends SkewcheckMatchers<T> {}
}

function isResult(value: unknown, commands: string[]): boolean {
  const v = value as { schema_version?: unknown; command?: unknown } | null;
  return typeof v === 'object' && v !== null && 'schema_version' in v && commands.includes(String(v.command));
}

async function skewResult(subject: unknown, options: SkewMatcherOptions | undefined): Promise<DiffResult> {
  if (isResult(subject, ['replay', 'diff'])) {
    if (options !== undefined)
      throw new TypeError('toHaveNoSkew: options apply when it runs the replay or the diff');
    return subject as DiffResult;
  }
  const settings = { ...(subject as object), ...options };
  return 'left' in settings ? diff(settings as DiffOptions) : replay(settings as ReplayOptions);
}

async function driftResult(subject: unknown, options: DriftMatcherOptions | undefined): Promise<DriftResult> {
  if (isResult(subject, ['drift'])) {
    if (options !== undefined)
      throw new TypeError('toHaveNoDrift: options apply when it runs the drift tests');
    return subject as DriftResult;
  }
  return drift({ ...(subject as DriftOptions), ...options });
}

/** The failure text: what was expected, the verdict's reason, then the terminal report. */
function failure(expected: string, result: DiffResult | DriftResult): string {
  const report = renderReport('terminal', result, { color: false });
  return `expected ${expected}, but ${result.reasons[0] ?? 'the verdict is fail'}\n\n${report}`;
}

function agreement(result: DiffResult | DriftResult): string {
  if (result.command === 'drift')
    return `no feature drifted beyond the gate (${result.summary.tested} tested)`;
  return `all ${result.summary.windows} (key, window) rows agree within the gate`;
}

expect.extend({
  async toHaveNoSkew(received: unknown, options?: SkewMatcherOptions) {
    const result = await skewResult(received, options);
    const pass = result.verdict === 'pass';
    return {
      pass,
      message: () =>
        pass
          ? `expected training-serving skew, but ${agreement(result)}`
          : failure('no training-serving skew', result),
    };
  },
  async toHaveNoDrift(received: unknown, options?: DriftMatcherOptions) {
    const result = await driftResult(received, options);
    const pass = result.verdict === 'pass';
    return {
      pass,
      message: () => (pass ? `expected drift, but ${agreement(result)}` : failure('no drift', result)),
    };
  },
});
