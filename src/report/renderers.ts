// One renderer table per result kind, each with a render function for every format of
// formats.ts: `satisfies RenderTable<…>` makes a format without a function here a compile error.
// The plain-text formats (terminal, md, junit) get the result with its control characters shown
// (plain-text.ts); HTML, JSON and prom escape for their own syntax.
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
import { plainResult } from './plain-text.js';
import { renderCheckProm, renderDiffProm, renderDriftProm } from './prom-results.js';
import { renderDiffTerminal } from './terminal-diff.js';
import { renderDriftTerminal } from './terminal-drift.js';
import type { RenderTable, ResultKinds } from './types.js';

export const DIFF_RENDERERS = {
  terminal: (result, options) => renderDiffTerminal(plainResult(result), { color: options.color ?? false }),
  json: resultJson,
  md: (result, options) => renderMarkdown(plainResult(result), options.maxChars),
  junit: (result) => renderJunitSuites([diffSuite(plainResult(result))]),
  html: (result) => htmlRenderers().diffHtml(result),
  prom: renderDiffProm,
} satisfies RenderTable<DiffResult>;

export const DRIFT_RENDERERS = {
  terminal: (result, options) => renderDriftTerminal(plainResult(result), { color: options.color ?? false }),
  json: resultJson,
  md: (result, options) => renderMarkdown(plainResult(result), options.maxChars),
  junit: (result) => renderJunitSuites([driftSuite(plainResult(result))]),
  html: (result) => htmlRenderers().driftHtml(result),
  prom: renderDriftProm,
} satisfies RenderTable<DriftReport>;

export const CHECK_RENDERERS = {
  terminal: (result, options) =>
    renderCheckTerminal(plainResult(result), { color: options.color ?? false, durations: options.durations }),
  json: resultJson,
  md: (result, options) => renderCheckMarkdown(plainResult(result), options.maxChars),
  junit: (result) => renderCheckJunit(plainResult(result)),
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
