// Markdown for a replay/diff result, sized for a pull-request comment or a job summary: the
// verdict in one line, the failing features in a table, keys, windows and rows in <details>.

import type { DiffResult, RowSample } from '../diff/index.js';
import { featureStatus, isFailingFeature, lateText, shardText, windowText } from './diff-text.js';
import { clip, escapeHtml, mdCode, mdText } from './escape.js';
import { firstDivergenceMarkdown } from './first-divergence.js';
import { int, keyText, num, percent, tierLabel, time, value } from './format.js';
import { type MarkdownLimits, table } from './markdown-table.js';

function headline(result: DiffResult): string {
  const s = result.summary;
  const { left, right } = result.sides;
  const differing = s.mismatched + s.only_left + s.only_right;
  const failing = result.features.filter(isFailingFeature);
  if (result.shard?.empty) return `### ⚪ skewcheck ${result.command}: ${mdText(shardText(result)!)}`;
  if (result.verdict === 'pass') {
    const tolerated =
      differing > 0
        ? ` (${int(differing)} differing rows within the allowed ${percent(result.max_mismatch_rate)})`
        : '';
    return `### ✅ skewcheck ${result.command}: ${mdText(left.label)} and ${mdText(right.label)} agree on ${int(s.matched)} of ${int(s.windows)} (key, window) rows${tolerated}`;
  }
  const parts: string[] = [];
  if (differing > 0) {
    parts.push(
      `${int(differing)} of ${int(s.windows)} (key, window) rows differ (${percent(s.mismatch_rate)})`,
    );
  }
  if (failing.length > 0) {
    const names = failing.slice(0, 3).map((f) => mdCode(f.name, { max: 60 }));
    const more = failing.length > 3 ? ` and ${int(failing.length - 3)} more` : '';
    parts.push(
      `${int(failing.length)} of ${int(result.features.length)} features: ${names.join(', ')}${more}`,
    );
  }
  if (s.duplicates > 0) parts.push(`${int(s.duplicates)} duplicated rows`);
  return `### ❌ skewcheck ${result.command}: skew found — ${parts.join(' · ')}`;
}

function context(result: DiffResult): string {
  const { left, right } = result.sides;
  const facts = [
    `${mdText(left.label)} ${mdCode(left.source, { max: 80 })} vs ${mdText(right.label)} ${mdCode(right.source, { max: 80 })}`,
  ];
  if (result.replay) facts.push(`${int(result.replay.events)} events replayed`);
  facts.push(`${int(left.rows)} / ${int(right.rows)} rows`);
  facts.push(
    `aligned on ${[...result.keys, ...result.time_columns].map((c) => mdCode(c, { max: 40 })).join(', ')}`,
  );
  facts.push(`tolerance abs ${num(result.tolerance.abs)}, rel ${num(result.tolerance.rel)}`);
  const shard = shardText(result);
  if (shard && !result.shard?.empty) facts.push(mdText(shard));
  return facts.join(' · ');
}

function timelineLine(result: DiffResult): string | null {
  const timeline = result.plots?.timeline;
  if (!timeline) return null;
  const bad = timeline.buckets.filter((b) => b.mismatched + b.only_left + b.only_right > 0);
  if (bad.length === 0) return null;
  const differing = (b: (typeof bad)[number]) => b.mismatched + b.only_left + b.only_right;
  const peak = bad.reduce((best, b) => (differing(b) > differing(best) ? b : best));
  const first = bad[0]!;
  const last = bad[bad.length - 1]!;
  return (
    `**When:** in ${int(bad.length)} of ${int(timeline.buckets.length)} buckets of ${timeline.bucket} of ${mdCode(timeline.column)}, ` +
    `from ${time(first.start)} to ${time(last.start)} (UTC); most in the one starting ${time(peak.start)}: ` +
    `${int(differing(peak))} of ${int(peak.windows)} rows differ.`
  );
}

function lateLine(result: DiffResult): string | null {
  const text = lateText(result);
  return text ? `> **Late events:** ${text}` : null;
}

function featureTable(result: DiffResult, limits: MarkdownLimits): string[] {
  const failing = result.features.filter(isFailingFeature);
  const ok = result.features.length - failing.length;
  const lines: string[] = [];
  if (failing.length === 0) return lines;
  lines.push(
    `**${int(failing.length)} of ${int(result.features.length)} features differ**${ok > 0 ? ` (${int(ok)} agree)` : ''}:`,
    '',
  );
  lines.push(
    ...table(
      ['feature', 'status', 'mismatches', 'rate', 'max abs diff', 'max rel diff', 'null vs value'],
      ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
      failing.map((f) => [
        mdCode(f.name, { inTable: true, max: limits.cell }),
        mdText(featureStatus(f, result), { inTable: true }),
        int(f.mismatches),
        percent(f.mismatch_rate),
        num(f.max_abs_diff),
        num(f.max_rel_diff),
        int(f.null_mismatches),
      ]),
      limits.features,
      (n) => `… and ${int(n)} more failing features (the JSON and HTML reports list them all)`,
    ),
  );
  return lines;
}

function details(summary: string, body: string[]): string[] {
  // GitHub renders Markdown inside <details> only after a blank line.
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

function topKeys(result: DiffResult, limits: MarkdownLimits): string[] {
  if (result.top_keys.length === 0 || limits.keys === 0) return [];
  const { left, right } = result.sides;
  const shown = result.top_keys.slice(0, limits.keys);
  return details(
    `Top offending keys (${int(shown.length)})`,
    table(
      [
        'key',
        'mismatched windows',
        `only ${mdText(left.label, { inTable: true })}`,
        `only ${mdText(right.label, { inTable: true })}`,
        'features',
      ],
      ['left', 'right', 'right', 'right', 'left'],
      shown.map((k) => [
        mdCode(keyText(k.key), { inTable: true, max: limits.cell }),
        int(k.mismatched_windows),
        int(k.only_left),
        int(k.only_right),
        k.features.map((f) => mdCode(f, { inTable: true, max: limits.cell })).join(', '),
      ]),
      limits.keys,
      () => '',
    ),
  );
}

function sampleRows(result: DiffResult, limits: MarkdownLimits): string[] {
  if (result.samples.length === 0 || limits.samples === 0) return [];
  const { left, right } = result.sides;
  const s = result.summary;
  const shown = result.samples.slice(0, limits.samples);
  const rows = shown.flatMap((row: RowSample) => {
    const key = mdCode(keyText(row.key), { inTable: true, max: limits.cell });
    const window = mdText(windowText(row.window), { inTable: true });
    if (row.status !== 'mismatch') {
      const where = row.status === 'only_left' ? left.label : right.label;
      return [[key, window, `*only in ${mdText(where, { inTable: true })}*`, '', '', '']];
    }
    return row.differences.map((d) => [
      key,
      window,
      mdCode(d.feature, { inTable: true, max: limits.cell }),
      mdCode(value(d.left), { inTable: true, max: limits.cell }),
      mdCode(value(d.right), { inTable: true, max: limits.cell }),
      num(d.abs_diff),
    ]);
  });
  return details(
    `First ${int(shown.length)} differing rows (of ${int(s.mismatched + s.only_left + s.only_right)})`,
    table(
      [
        'key',
        'window',
        'feature',
        mdText(left.label, { inTable: true }),
        mdText(right.label, { inTable: true }),
        'abs diff',
      ],
      ['left', 'left', 'left', 'right', 'right', 'right'],
      rows,
      limits.samples * 4,
      (n) => `… and ${int(n)} more differing values`,
    ),
  );
}

function duplicates(result: DiffResult, limits: MarkdownLimits): string[] {
  const lines: string[] = [];
  for (const side of ['left', 'right'] as const) {
    const d = result.duplicates[side];
    if (d.rows === 0) continue;
    const label = result.sides[side].label;
    lines.push(
      ...details(
        `Duplicated (key, window) on the ${escapeHtml(label)} side: ${int(d.groups)} groups, ${int(d.rows)} rows (not compared)`,
        table(
          ['key', 'window', 'rows'],
          ['left', 'left', 'right'],
          d.examples.map((e) => [
            mdCode(keyText(e.key), { inTable: true, max: limits.cell }),
            mdText(windowText(e.window), { inTable: true }),
            int(e.count),
          ]),
          Math.max(1, limits.keys),
          (n) => `… and ${int(n)} more`,
        ),
      ),
      '',
    );
  }
  return lines;
}

export function renderDiffMarkdown(result: DiffResult, limits: MarkdownLimits): string {
  const lines: string[] = [headline(result), '', context(result), ''];
  // One reason is already the headline; several are listed.
  if (result.verdict === 'fail' && result.reasons.length > 1) {
    for (const reason of result.reasons.slice(0, limits.features))
      lines.push(`- ${mdText(reason, { max: 300 })}`);
    lines.push('');
  }
  for (const d of (result.diagnoses ?? []).slice(0, 3)) {
    lines.push(
      `> **${tierLabel(d.tier)}** (${percent(d.share)} of differing rows${d.tier === 'consistent' ? ', not reproduced' : d.tier === 'reproduced' ? ', reproduced' : ''}): ${mdText(d.message, { max: 400 })}. Fix: ${mdText(d.fix_hint, { max: 200 })}`,
      '',
    );
  }
  lines.push(...firstDivergenceMarkdown(result));
  const late = lateLine(result);
  if (late) lines.push(late, '');
  const when = timelineLine(result);
  if (when) lines.push(when, '');
  const features = featureTable(result, limits);
  if (features.length > 0) lines.push(...features, '');
  for (const section of [topKeys(result, limits), sampleRows(result, limits)]) {
    if (section.length > 0) lines.push(...section, '');
  }
  lines.push(...duplicates(result, limits));
  for (const note of result.notes.slice(0, limits.features))
    lines.push(`> note: ${mdText(note, { max: 300 })}`, '');
  if (result.mismatches_file) {
    lines.push(`Every differing row was written to ${mdCode(clip(result.mismatches_file, 200))}.`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
