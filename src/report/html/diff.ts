// The HTML report of a replay/diff result: the verdict and its likely cause, which features
// differ and how (left-vs-right scatter per feature), when (timeline, day × hour), which keys,
// and sample rows.

import type { DiffResult, FeatureDiff, RowSample, ValueDifference } from '../../diff/index.js';
import { featureStatus, isFailingFeature, lateText, windowText } from '../diff-text.js';
import { clip } from '../escape.js';
import { firstDivergenceHtml } from '../first-divergence.js';
import { int, keyText, num, percent, tierLabel, value } from '../format.js';
import {
  COLORS,
  dayHourSpec,
  scatterDirection,
  scatterSpec,
  timelineSpec,
  topKeysSpec,
} from './charts-diff.js';
import { card, figure, h, htmlTable, page } from './page.js';
import { chartSvg } from './vega-svg.js';

/** Most scatter plots drawn (the features with most mismatches); the table lists them all. */
export const MAX_SCATTER_CHARTS = 12;
/** Most rows in the feature table. */
export const MAX_FEATURE_ROWS = 1000;
/** Most differing features listed per sample row, and per top key. */
export const MAX_ROW_FEATURES = 10;
/** Longest value shown in a table cell. */
const MAX_VALUE = 200;

function names(list: string[]): string {
  const shown = list.slice(0, MAX_ROW_FEATURES).map((f) => `<code>${h(clip(f, MAX_VALUE))}</code>`);
  return list.length > shown.length
    ? `${shown.join(', ')} and ${int(list.length - shown.length)} more`
    : shown.join(', ');
}

function lede(result: DiffResult): string {
  const s = result.summary;
  const { left, right } = result.sides;
  const differing = s.mismatched + s.only_left + s.only_right;
  const failing = result.features.filter(isFailingFeature);
  if (result.verdict === 'pass') {
    return `${h(left.label)} and ${h(right.label)} agree on <b>${int(s.matched)}</b> of ${int(s.windows)} (key, window) rows.`;
  }
  const parts: string[] = [];
  if (differing > 0) {
    parts.push(
      `<b>${int(differing)}</b> of ${int(s.windows)} (key, window) rows differ (<b>${percent(s.mismatch_rate)}</b>)`,
    );
  }
  if (failing.length > 0) {
    const names = failing.slice(0, 4).map((f) => `<code>${h(f.name)}</code>`);
    const more = failing.length > 4 ? ` and ${int(failing.length - 4)} more` : '';
    parts.push(
      `in ${int(failing.length)} of ${int(result.features.length)} features: ${names.join(', ')}${more}`,
    );
  }
  if (s.duplicates > 0) parts.push(`${int(s.duplicates)} rows have a duplicated (key, window)`);
  return `${parts.join(' — ')}.`;
}

function meta(result: DiffResult): string {
  const { left, right } = result.sides;
  const facts = [
    `${h(left.label)} <code>${h(left.source)}</code> vs ${h(right.label)} <code>${h(right.source)}</code>`,
  ];
  if (result.replay) {
    const order = result.replay.order;
    const arrival =
      order?.kind === 'arrival'
        ? ` in arrival order${order.arrival_column ? ` of <code>${h(order.arrival_column)}</code>` : ''}`
        : '';
    facts.push(`${int(result.replay.events)} events replayed${arrival}`);
  }
  facts.push(`${int(left.rows)} / ${int(right.rows)} rows`);
  facts.push(
    `aligned on ${[...result.keys, ...result.time_columns].map((c) => `<code>${h(c)}</code>`).join(', ')}`,
  );
  facts.push(`tolerance abs ${num(result.tolerance.abs)}, rel ${num(result.tolerance.rel)}`);
  return facts.join(' · ');
}

function cards(result: DiffResult): string {
  const s = result.summary;
  const { left, right } = result.sides;
  return `<section class="cards">${[
    card(int(s.windows), '(key, window) rows'),
    card(int(s.matched), 'agree'),
    card(int(s.mismatched), 'values differ', s.mismatched > 0),
    card(int(s.only_left), `only in ${h(left.label)}`, s.only_left > 0),
    card(int(s.only_right), `only in ${h(right.label)}`, s.only_right > 0),
    card(int(s.duplicates), 'duplicated rows', s.duplicates > 0),
  ].join('')}</section>`;
}

function why(result: DiffResult): string {
  const parts: string[] = [];
  // A single reason is the lede already.
  if (result.verdict === 'fail' && result.reasons.length > 1) {
    parts.push(`<ul class="reasons">${result.reasons.map((r) => `<li>${h(r)}</li>`).join('')}</ul>`);
  }
  for (const d of result.diagnoses ?? []) {
    parts.push(
      `<div class="cause"><b>${tierLabel(d.tier)}</b> (${percent(d.share)} of differing rows, <code>${h(d.code)}</code>${d.tier === 'unexplained' ? '' : `, ${d.tier === 'reproduced' ? 'reproduced' : 'not reproduced'}`}): ${h(d.message)}. Fix: ${h(d.fix_hint)}</div>`,
    );
  }
  const late = lateText(result);
  if (late) parts.push(`<div class="cause"><b>Late events</b>: ${h(late)}</div>`);
  return parts.length > 0 ? `<section><h2>Why</h2>${parts.join('\n')}</section>` : '';
}

function when(result: DiffResult): string {
  const timeline = result.plots?.timeline;
  const s = result.summary;
  if (!timeline || timeline.buckets.length === 0 || s.mismatched + s.only_left + s.only_right === 0)
    return '';
  const parts = [
    '<section><h2>When rows differ</h2>',
    `<p class="explain">Each bar covers ${h(timeline.bucket)} of <code>${h(timeline.column)}</code>: the share of its (key, window) rows that differ (paler when the bucket holds few rows); the dashed line is the share over all rows. A skew that starts on a date shows as a step; one that recurs at the same hour, as a comb.</p>`,
    figure(chartSvg(timelineSpec(result, timeline)), 'share of rows that differ over time'),
  ];
  const grid = dayHourSpec(timeline);
  if (grid) parts.push(figure(chartSvg(grid), 'share of rows that differ by day and hour'));
  if (timeline.rows_without_time > 0) {
    parts.push(
      `<p class="more">${int(timeline.rows_without_time)} rows have no ${h(timeline.column)} and are not on the timeline.</p>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function featureSection(result: DiffResult): string {
  if (result.features.length === 0) return '';
  const ordered = [...result.features].sort(
    (a, b) =>
      Number(isFailingFeature(b)) - Number(isFailingFeature(a)) ||
      b.mismatches - a.mismatches ||
      (a.name < b.name ? -1 : 1),
  );
  const shown = ordered.slice(0, MAX_FEATURE_ROWS);
  const maxRate = Math.max(...shown.map((f) => f.mismatch_rate), 0);
  const table = htmlTable<FeatureDiff>(
    shown,
    [
      { head: 'feature', cell: (f) => h(f.name), className: () => 'data' },
      {
        head: 'status',
        cell: (f) =>
          `<span class="${isFailingFeature(f) ? 'status-bad' : 'status-ok'}">${h(featureStatus(f, result))}</span>`,
      },
      { head: 'compared', num: true, cell: (f) => int(f.compared) },
      { head: 'mismatches', num: true, cell: (f) => int(f.mismatches) },
      {
        head: 'rate',
        num: true,
        cell: (f) =>
          `${f.mismatch_rate > 0 ? `<span class="bar" style="width:${Math.max(2, Math.round((60 * f.mismatch_rate) / maxRate))}px"></span>` : ''}${percent(f.mismatch_rate)}`,
      },
      { head: 'max abs diff', num: true, cell: (f) => num(f.max_abs_diff) },
      { head: 'max rel diff', num: true, cell: (f) => num(f.max_rel_diff) },
      { head: 'NULL vs value', num: true, cell: (f) => int(f.null_mismatches) },
      {
        head: 'types',
        cell: (f) =>
          f.left_type === f.right_type
            ? h(f.left_type ?? '')
            : `${h(f.left_type ?? '–')} / ${h(f.right_type ?? '–')}`,
      },
    ],
    (f) => (isFailingFeature(f) ? 'bad' : ''),
  );
  const more =
    ordered.length > shown.length
      ? `<p class="more">… and ${int(ordered.length - shown.length)} more features (all of them are in the JSON result).</p>`
      : '';
  return `<section><h2>Features</h2>${table}${more}</section>`;
}

function scatterSection(result: DiffResult): string {
  const scatters = (result.plots?.scatter ?? []).filter((s) => s.mismatches > 0);
  if (scatters.length === 0) return '';
  const { left, right } = result.sides;
  const shown = scatters.slice(0, MAX_SCATTER_CHARTS);
  const charts = shown.map((s) => {
    const share = percent(s.rows > 0 ? s.mismatches / s.rows : 0);
    const direction = scatterDirection(result, s);
    const caption = `<b>${h(s.feature)}</b><span class="sub">${share} of ${int(s.rows)} rows differ${direction ? `; ${h(direction)}` : ''}</span>`;
    return figure(
      chartSvg(scatterSpec(result, s)),
      `${s.feature}: ${left.label} against ${right.label}`,
      caption,
    );
  });
  const more =
    scatters.length > shown.length
      ? `<p class="more">Charts for the ${int(shown.length)} features with most mismatches; ${int(scatters.length - shown.length)} more differ (see the table).</p>`
      : '';
  return `<section><h2>${h(left.label)} vs ${h(right.label)} values</h2>
<p class="explain">One dot per distinct pair of values, its area proportional to the rows that have it (drawn from a sample of up to 2,000 rows per feature). On the dashed diagonal both sides agree; the distance from it is the error.</p>
<p class="legend"><span class="dot" style="background:${COLORS.differs}"></span>differs<span class="dot" style="background:${COLORS.agrees}"></span>agrees</p>
<div class="grid">${charts.join('\n')}</div>${more}</section>`;
}

function keysSection(result: DiffResult): string {
  if (result.top_keys.length === 0) return '';
  const { left, right } = result.sides;
  const spec = topKeysSpec(result);
  const table = htmlTable(result.top_keys, [
    { head: 'key', cell: (k) => h(keyText(k.key)), className: () => 'data' },
    { head: 'values differ', num: true, cell: (k) => int(k.mismatched_windows) },
    { head: `only in ${h(left.label)}`, num: true, cell: (k) => int(k.only_left) },
    { head: `only in ${h(right.label)}`, num: true, cell: (k) => int(k.only_right) },
    { head: 'features', cell: (k) => names(k.features) },
  ]);
  return `<section><h2>Top offending keys</h2>
<p class="explain">The ${int(result.top_keys.length)} keys with most differing (key, window) rows.</p>
${spec ? figure(chartSvg(spec), 'top offending keys') : ''}
${table}</section>`;
}

function samplesSection(result: DiffResult): string {
  if (result.samples.length === 0) return '';
  const { left, right } = result.sides;
  const s = result.summary;
  type Line = { row: RowSample; d: ValueDifference | null; first: boolean; more: number };
  const rows = result.samples.flatMap((row: RowSample): Line[] => {
    if (row.status !== 'mismatch') return [{ row, d: null, first: true, more: 0 }];
    const shown = row.differences.slice(0, MAX_ROW_FEATURES);
    const lines: Line[] = shown.map((d, i) => ({ row, d, first: i === 0, more: 0 }));
    const more = row.differences.length - shown.length;
    if (more > 0) lines.push({ row, d: null, first: false, more });
    return lines;
  });
  const table = htmlTable(rows, [
    { head: 'key', cell: (r) => (r.first ? h(keyText(r.row.key)) : ''), className: () => 'data' },
    { head: 'window', cell: (r) => (r.first ? h(windowText(r.row.window)) : '') },
    {
      head: 'feature',
      cell: (r) =>
        r.d
          ? `<code>${h(clip(r.d.feature, MAX_VALUE))}</code>`
          : r.more > 0
            ? `<span class="more">… and ${int(r.more)} more features differ in this row</span>`
            : `<span class="status-bad">only in ${h(r.row.status === 'only_left' ? left.label : right.label)}</span>`,
    },
    {
      head: h(left.label),
      cell: (r) => (r.d ? h(clip(value(r.d.left), MAX_VALUE)) : ''),
      className: () => 'data',
    },
    {
      head: h(right.label),
      cell: (r) => (r.d ? h(clip(value(r.d.right), MAX_VALUE)) : ''),
      className: () => 'data',
    },
    { head: 'abs diff', num: true, cell: (r) => (r.d ? num(r.d.abs_diff) : '') },
    { head: 'rel diff', num: true, cell: (r) => (r.d ? num(r.d.rel_diff) : '') },
  ]);
  return `<section><h2>Differing rows</h2>
<p class="explain">The first ${int(result.samples.length)} of ${int(s.mismatched + s.only_left + s.only_right)} differing (key, window) rows, in key and window order${result.mismatches_file ? `; every one of them is in <code>${h(result.mismatches_file)}</code>` : ''}.</p>
${table}</section>`;
}

function duplicatesSection(result: DiffResult): string {
  const parts: string[] = [];
  for (const side of ['left', 'right'] as const) {
    const d = result.duplicates[side];
    if (d.rows === 0) continue;
    parts.push(
      `<h3>${h(result.sides[side].label)}: ${int(d.groups)} duplicated (key, window) groups, ${int(d.rows)} rows (not compared)</h3>`,
      htmlTable(d.examples, [
        { head: 'key', cell: (e) => h(keyText(e.key)), className: () => 'data' },
        { head: 'window', cell: (e) => h(windowText(e.window)) },
        { head: 'rows', num: true, cell: (e) => int(e.count) },
      ]),
    );
  }
  return parts.length > 0 ? `<section><h2>Duplicates</h2>${parts.join('\n')}</section>` : '';
}

function notesSection(result: DiffResult): string {
  if (result.notes.length === 0) return '';
  return `<section><h2>Notes</h2><ul>${result.notes.map((n) => `<li class="note">${h(n)}</li>`).join('')}</ul></section>`;
}

export function renderDiffHtml(result: DiffResult): string {
  const { left, right } = result.sides;
  return page({
    title: `skewcheck ${result.command}: ${result.verdict.toUpperCase()} — ${left.source} vs ${right.source}`,
    verdict: result.verdict,
    heading: `skewcheck ${h(result.command)}`,
    lede: lede(result),
    meta: meta(result),
    body: [
      cards(result),
      why(result),
      firstDivergenceHtml(result),
      featureSection(result),
      scatterSection(result),
      when(result),
      keysSection(result),
      samplesSection(result),
      duplicatesSection(result),
      notesSection(result),
    ],
    footer: `Rendered by skewcheck from a ${h(result.command)} result (schema version ${result.schema_version}). Charts are drawn from aggregated data: buckets and a bounded sample of rows.`,
  });
}
