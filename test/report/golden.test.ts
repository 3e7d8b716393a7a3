// Golden files of every format for every result kind (terminal, JSON, Markdown, JUnit, HTML,
// Prometheus; replay/diff, drift and check): refactors of the renderers must keep them
// byte-identical. Terminal text without colour only: the table borders' colours depend on the
// environment (CI), not on skewcheck.
import { beforeAll, describe, it } from 'vitest';

import { loadRenderers, renderReport } from '../../src/report/index.js';
import {
  checkRun,
  diffMixed,
  diffPass,
  driftFail,
  driftHostile,
  driftPass,
  hostile,
  replayFail,
} from './fixtures.js';
import { expectGolden } from './golden.js';

const RESULTS = {
  'replay-fail': replayFail,
  'diff-mixed': diffMixed,
  'diff-pass': diffPass,
  hostile,
  'drift-fail': driftFail,
  'drift-pass': driftPass,
  'drift-hostile': driftHostile,
};
/** HTML pages are large (inline SVG): a few cover both result kinds and the hostile names. */
const HTML = ['replay-fail', 'diff-pass', 'drift-hostile'] as const;

/** A fixed end and duration of the run, for the prom format's run metrics. */
const RUN = { finishedAt: 1_764_600_000.25, durationSeconds: 12.5 };

beforeAll(() => loadRenderers(['html']));

describe('golden files', () => {
  for (const [name, make] of Object.entries(RESULTS)) {
    it(`terminal, JSON and prom: ${name}`, () => {
      expectGolden(`${name}.txt`, renderReport('terminal', make(), { color: false }));
      expectGolden(`${name}.json`, renderReport('json', make()));
      expectGolden(`${name}.prom`, renderReport('prom', make(), { run: RUN }));
    });
  }
  for (const name of HTML) {
    it(`html: ${name}`, () => {
      expectGolden(`${name}.html`, renderReport('html', RESULTS[name]()));
    });
  }
  it('check: every format', () => {
    const result = checkRun();
    const durations = new Map(result.checks.map((c, i) => [c.name, 1000 * (i + 1.25)]));
    expectGolden('check.txt', renderReport('terminal', result, { color: false, durations }));
    expectGolden('check.json', renderReport('json', result));
    expectGolden('check.md', renderReport('md', result));
    expectGolden('check.xml', renderReport('junit', result));
    expectGolden('check.html', renderReport('html', result));
    expectGolden('check.prom', renderReport('prom', result, { run: RUN, durations }));
  });
});
