// One renderer table per result kind, each with a render function for every format of
// formats.ts: `satisfies RenderTable<…>` makes a format without a function here a compile error.
import type { CheckRunResult } from '../check/types.js';
import type { DiffResult } from '../diff/index.js';
import { renderCheckJunit } from './check-junit.js';
import { renderCheckMarkdown } from './check-markdown.js';
import { renderCheckTerminal } from './check-terminal.js';
import type { DriftReport } from './drift-text.js';
import { htmlRenderers } from './html-loader.js';
import { resultJson } from './json.js';
import { renderJunitSuites } from './junit.js';
import { diffSuite } from './junit-diff.js';
import { driftSuite } from './junit-drift.js';
import { renderMarkdown } from './markdown.js';
import { renderCheckProm, renderDiffProm, renderDriftProm } from './prom-results.js';
import { renderDiffTerminal } from './terminal-diff.js';
import { renderDriftTerminal } from './terminal-drift.js';
import type { RenderTable, ResultKinds } from './types.js';

export const DIFF_RENDERERS = {
  terminal: (result, options) => renderDiffTerminal(result, { color: options.color ?? false }),
  json: resultJson,
  md: (result, options) => renderMarkdown(result, options.maxChars),
  junit: (result) => renderJunitSuites([diffSuite(result)]),
  html: (result) => htmlRenderers().diffHtml(result),
  prom: renderDiffProm,
} satisfies RenderTable<DiffResult>;

export const DRIFT_RENDERERS = {
  terminal: (result, options) => renderDriftTerminal(result, { color: options.color ?? false }),
  json: resultJson,
  md: (result, options) => renderMarkdown(result, options.maxChars),
  junit: (result) => renderJunitSuites([driftSuite(result)]),
  html: (result) => htmlRenderers().driftHtml(result),
  prom: renderDriftProm,
} satisfies RenderTable<DriftReport>;

export const CHECK_RENDERERS = {
  terminal: (result, options) =>
    renderCheckTerminal(result, { color: options.color ?? false, durations: options.durations }),
  json: resultJson,
  md: (result, options) => renderCheckMarkdown(result, options.maxChars),
  junit: renderCheckJunit,
  html: (result) => htmlRenderers().checkHtml(result),
  prom: renderCheckProm,
} satisfies RenderTable<CheckRunResult>;

/** The renderer table of each result kind, by the `command` that produced the result. */
export const RENDERERS: { readonly [K in keyof ResultKinds]: RenderTable<ResultKinds[K]> } = {
  replay: DIFF_RENDERERS,
  diff: DIFF_RENDERERS,
  drift: DRIFT_RENDERERS,
  check: CHECK_RENDERERS,
};
