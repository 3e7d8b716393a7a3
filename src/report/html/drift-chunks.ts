// Drift over time in the HTML report: per tested feature, a line chart of its gated effect (KS D,
// or the total variation of category shares) in each production chunk, with the effect floor as a
// dashed rule and the chunks where it drifted (after the correction over all chunks) marked red.
import type { TopLevelSpec } from 'vega-lite';
import { DRIFT_TESTS } from '../../drift/tests/index.js';
import type { ChunkSeries, DriftChunks } from '../../drift/types.js';
import type { DriftReport } from '../drift-text.js';
import { figure, h } from './page.js';
import { chartSvg } from './vega-svg.js';

/** Features charted over time, the most severe first (the order of the result's features). */
const MAX_CHARTED = 24;

export function chunkLineSpec(chunks: DriftChunks, s: ChunkSeries, threshold: number): TopLevelSpec {
  const values = chunks.keys.flatMap((chunk, i) => {
    const effect = s.effect[i];
    return effect === null || effect === undefined
      ? []
      : [{ chunk, effect, drift: s.drift[i] ? 'drift' : 'ok' }];
  });
  const x = {
    field: 'chunk',
    type: 'ordinal' as const,
    sort: chunks.keys,
    title: null,
    axis: { labelAngle: -45 },
  };
  return {
    width: 560,
    height: 180,
    layer: [
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 2, color: '#1f77b4', point: false },
        encoding: { x, y: { field: 'effect', type: 'quantitative', title: 'effect', scale: { zero: true } } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 40 },
        encoding: {
          x,
          y: { field: 'effect', type: 'quantitative' },
          color: {
            field: 'drift',
            type: 'nominal',
            scale: { domain: ['ok', 'drift'], range: ['#1f77b4', '#d62728'] },
            legend: null,
          },
        },
      },
      {
        data: { values: [{ threshold }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#d62728' },
        encoding: { y: { field: 'threshold', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

export function chunksSection(result: DriftReport): string {
  const chunks = result.chunks;
  if (!chunks) return '';
  const order = new Map(result.features.map((f, i) => [f.name, i]));
  const charted = chunks.features
    .filter((s) => s.effect.some((x) => x !== null))
    .sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0))
    .slice(0, MAX_CHARTED);
  const threshold = result.settings.min_effect;
  const figures = charted.map((s) => {
    const measure = s.test === null ? 'effect' : DRIFT_TESTS[s.test].effectLabel;
    const first = s.first_drift === null ? 'no drift in any chunk' : `first drifted in ${s.first_drift}`;
    return figure(
      chartSvg(chunkLineSpec(chunks, s, threshold)),
      `${s.name}: ${measure} per chunk`,
      `<b>${h(s.name)}</b><span class="sub">${h(measure)} per chunk; dashed: the effect floor ${threshold}; red: drifted. ${h(first)}.</span>`,
    );
  });
  const by =
    chunks.by === 'file'
      ? 'file'
      : chunks.by === 'column'
        ? `"${chunks.column}"`
        : `${chunks.by} of "${chunks.column}"`;
  return `<section><h2>Drift over time</h2><p>${chunks.keys.length} production chunks by ${h(by)}, each tested against the training snapshot.</p><div class="panel"><div class="grid">${figures.join('\n')}</div></div></section>`;
}
