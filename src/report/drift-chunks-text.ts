// Drift over time in plain text: one row per production chunk, one column per tested feature
// (its statistic, starred where it drifted), and the first drifted chunk of each feature.
import type { DriftChunks } from '../drift/types.js';
import { num } from './format.js';

/** A chunk label safe on a terminal: control characters escaped as JSON does. */
function label(key: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return /[\u0000-\u001f\u007f-\u009f]/.test(key) ? JSON.stringify(key) : key;
}

export function chunkTableLines(chunks: DriftChunks): string[] {
  const series = chunks.features.filter((s) => s.statistic.some((x) => x !== null));
  if (series.length === 0) return [];
  const head = ['chunk', 'rows', ...series.map((s) => s.name)];
  const body = chunks.keys.map((key, i) => [
    label(key),
    String(chunks.rows[i]),
    ...series.map((s) => {
      const x = s.statistic[i];
      return x === null || x === undefined ? '–' : `${num(x, 3)}${s.drift[i] ? ' *' : ''}`;
    }),
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, j) => cell.padEnd(widths[j]!))
      .join('  ')
      .trimEnd();
  const by =
    chunks.by === 'file'
      ? 'file'
      : chunks.by === 'column'
        ? `"${chunks.column}"`
        : `${chunks.by} of "${chunks.column}"`;
  const first = series.map((s) => `${s.name}: ${s.first_drift === null ? 'never' : label(s.first_drift)}`);
  return [
    `Drift over time: ${chunks.keys.length} chunks by ${by} (statistic per chunk; * drifted after the correction over all chunks)`,
    line(head),
    ...body.map(line),
    `First drifted chunk: ${first.join(' · ')}`,
  ];
}
