// The HTML report of a drift result: the verdict, a table of every feature, and per feature
// its train-vs-prod picture — ECDFs with the KS statistic marked and overlaid histograms for
// numeric features, paired bars for categorical ones — next to its numbers.
import type { CategoricalDriftPlot, NumericDriftPlot } from '../../drift/plot-data.js';
import type { FeatureResult } from '../../drift/types.js';
import {
  type DriftReport,
  driftHeadline,
  driftMessage,
  effectText,
  isFailingDriftFeature,
  nullsText,
  pAdjustedText,
  pText,
  settingsText,
  statisticText,
  typeText,
  verdictLabel,
} from '../drift-text.js';
import { clip } from '../escape.js';
import { int, num, percent } from '../format.js';
import {
  categoriesSpec,
  categoryShiftsSpec,
  ecdfSpec,
  histogramSpec,
  missingSpec,
  quantilesSpec,
  SIDE_COLORS,
} from './charts-drift.js';
import { chunksSection } from './drift-chunks.js';
import { card, figure, h, htmlTable, page } from './page.js';
import { chartSvg } from './vega-svg.js';

/** Features drawn (the most severe first); the table lists them all. */
export const MAX_FEATURE_PANELS = 24;
const MAX_FEATURE_ROWS = 1000;

function legend(): string {
  return `<p class="legend"><span class="swatch" style="background:${SIDE_COLORS.train}"></span>train<span class="swatch" style="background:${SIDE_COLORS.prod}"></span>prod</p>`;
}

function featureTable(result: DriftReport): string {
  const shown = result.features.slice(0, MAX_FEATURE_ROWS);
  const table = htmlTable<FeatureResult>(
    shown,
    [
      { head: 'feature', cell: (f) => h(clip(f.name, 200)), className: () => 'data' },
      {
        head: 'kind',
        // The SQL types are in the panels; here only a type change is worth the width.
        cell: (f) => h(f.status === 'type_mismatch' ? `${f.train.type} ≠ ${f.prod.type}` : f.kind),
      },
      { head: 'statistic', num: true, cell: (f) => h(statisticText(f)) },
      { head: 'p (adj.)', num: true, cell: (f) => h(pAdjustedText(f)) },
      { head: 'effect', cell: (f) => h(effectText(f)), className: () => 'nowrap' },
      { head: 'nulls train → prod', num: true, cell: (f) => h(nullsText(f)) },
      {
        head: 'verdict',
        cell: (f) =>
          `<span class="${isFailingDriftFeature(f) ? 'status-bad' : f.status === 'tested' ? 'status-ok' : ''}">${h(verdictLabel(f))}</span>`,
      },
    ],
    (f) => (isFailingDriftFeature(f) ? 'bad' : ''),
  );
  const more =
    result.features.length > shown.length
      ? `<p class="more">… and ${int(result.features.length - shown.length)} more features (all of them are in the JSON result).</p>`
      : '';
  return `<section class="compact"><h2>Features</h2>
<p class="explain">Most severe first. p-values are adjusted for multiple testing (${h(settingsText(result))}).</p>
${table}${more}</section>`;
}

function sideNumbers(f: FeatureResult): string {
  type Row = { label: string; train: string; prod: string };
  const rows: Row[] = [
    { label: 'values', train: int(f.train.count), prod: int(f.prod.count) },
    { label: 'missing', train: percent(f.train.null_rate), prod: percent(f.prod.null_rate) },
  ];
  if (f.kind === 'numeric') {
    rows.push(
      { label: 'mean', train: num(f.train.mean), prod: num(f.prod.mean) },
      { label: 'std', train: num(f.train.std), prod: num(f.prod.std) },
    );
    const qt = f.train.quantiles;
    const qp = f.prod.quantiles;
    for (const [key, label] of [
      ['p01', '1st percentile'],
      ['p50', 'median'],
      ['p99', '99th percentile'],
    ] as const) {
      rows.push({ label, train: num(qt?.[key]), prod: num(qp?.[key]) });
    }
  } else if (f.kind === 'categorical') {
    rows.push({
      label: 'categories',
      train: int(f.train.categories ?? 0),
      prod: int(f.prod.categories ?? 0),
    });
  }
  return htmlTable(rows, [
    { head: '', cell: (r) => r.label },
    { head: 'train', num: true, cell: (r) => r.train },
    { head: 'prod', num: true, cell: (r) => r.prod },
  ]);
}

function testNumbers(f: FeatureResult): string {
  const items = [
    `${h(statisticText(f))}, p ${h(pText(f.pvalue))}, adjusted ${h(pAdjustedText(f))}`,
    `effect ${h(effectText(f))}`,
    `null rate ${h(nullsText(f))}`,
  ];
  const c = f.categorical;
  if (c && c.new_categories.count > 0) {
    items.push(
      `new in prod: ${c.new_categories.values.map((v) => `<code>${h(clip(v, 80))}</code>`).join(', ')}${c.new_categories.count > c.new_categories.values.length ? ` and ${int(c.new_categories.count - c.new_categories.values.length)} more` : ''}`,
    );
  }
  if (c && c.vanished_categories.count > 0) {
    items.push(
      `gone in prod: ${c.vanished_categories.values.map((v) => `<code>${h(clip(v, 80))}</code>`).join(', ')}${c.vanished_categories.count > c.vanished_categories.values.length ? ` and ${int(c.vanished_categories.count - c.vanished_categories.values.length)} more` : ''}`,
    );
  }
  for (const note of f.notes) items.push(`<span class="note">${h(note)}</span>`);
  return `<ul class="reasons">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

function numericCharts(f: FeatureResult, plot: NumericDriftPlot | undefined): string[] {
  if (plot) {
    const outside = (side: 'train' | 'prod') => {
      const s = plot[side];
      return s.n > 0 ? (s.below + s.above) / s.n : 0;
    };
    const range =
      outside('train') + outside('prod') > 0
        ? ` Outside the range shown: ${percent(outside('train'))} of train, ${percent(outside('prod'))} of prod.`
        : '';
    return [
      figure(
        chartSvg(ecdfSpec(plot)),
        `${f.name}: cumulative distribution, train and prod`,
        `<b>Cumulative share</b><span class="sub">KS D is the largest vertical gap (red).${h(range)}</span>`,
      ),
      figure(
        chartSvg(histogramSpec(plot)),
        `${f.name}: histogram, train and prod`,
        `<b>Histogram</b><span class="sub">Share of each snapshot's values per bin.</span>`,
      ),
    ];
  }
  const spec = quantilesSpec(f);
  return spec
    ? [
        figure(
          chartSvg(spec),
          `${f.name}: percentiles, train and prod`,
          '<b>Percentiles</b><span class="sub">1st–99th (line), 25th–75th (bar), median (white).</span>',
        ),
      ]
    : [];
}

function categoricalCharts(f: FeatureResult, plot: CategoricalDriftPlot | undefined): string[] {
  if (plot && plot.categories.length > 0) {
    const rest = plot.distinct - plot.categories.length;
    return [
      figure(
        chartSvg(categoriesSpec(plot)),
        `${f.name}: category shares, train and prod`,
        `<b>Category shares</b><span class="sub">The ${int(plot.categories.length)} largest categories${rest > 0 ? ` of ${int(plot.distinct)}` : ''}.</span>`,
      ),
    ];
  }
  const spec = categoryShiftsSpec(f);
  return spec
    ? [
        figure(
          chartSvg(spec),
          `${f.name}: largest category shifts`,
          '<b>Largest shifts</b><span class="sub">Category shares that moved most.</span>',
        ),
      ]
    : [];
}

function panel(result: DriftReport, f: FeatureResult): string {
  const plot = result.plots?.features.find((p) => p.feature === f.name);
  const charts =
    f.kind === 'numeric'
      ? numericCharts(f, plot?.kind === 'numeric' ? plot : undefined)
      : f.kind === 'categorical'
        ? categoricalCharts(f, plot?.kind === 'categorical' ? plot : undefined)
        : [];
  if (f.null_rate_drift) {
    charts.unshift(
      figure(
        chartSvg(missingSpec(f)),
        `${f.name}: missing values, train and prod`,
        `<b>Missing values</b><span class="sub">${h(nullsText(f))}</span>`,
      ),
    );
  }
  const failing = isFailingDriftFeature(f);
  const label = `<span class="${failing ? 'status-bad' : 'status-ok'}">${h(verdictLabel(f))}</span>`;
  const summary = failing ? `<p>${h(driftMessage(f))}</p>` : '';
  return `<article class="feature${failing ? ' bad' : ''}">
<h3><code>${h(clip(f.name, 200))}</code> · ${h(typeText(f))} · ${label}</h3>
${summary}${charts.length > 0 ? legend() : ''}<div class="panel"><div class="grid">${charts.join('\n')}</div>
<div class="numbers">${sideNumbers(f)}${testNumbers(f)}</div></div>
</article>`;
}

function panels(result: DriftReport): string {
  const drawable = result.features.filter((f) => f.status === 'tested' || f.status === 'cannot_test');
  if (drawable.length === 0) return '';
  const shown = drawable.slice(0, MAX_FEATURE_PANELS);
  const failing = shown.filter(isFailingDriftFeature);
  const others = shown.filter((f) => !isFailingDriftFeature(f));
  const more =
    drawable.length > shown.length
      ? `<p class="more">Charts for the ${int(shown.length)} most severe features; ${int(drawable.length - shown.length)} more are in the table.</p>`
      : '';
  const parts = ['<section><h2>Train vs prod, feature by feature</h2>'];
  parts.push(...failing.map((f) => panel(result, f)));
  if (others.length > 0) {
    const list = others.map((f) => panel(result, f)).join('\n');
    parts.push(
      failing.length > 0
        ? `<details><summary>Features without drift (${int(others.length)})</summary>\n${list}\n</details>`
        : list,
    );
  }
  parts.push(more, '</section>');
  return parts.join('\n');
}

export function renderDriftHtml(result: DriftReport): string {
  const { train, prod } = result.snapshots;
  const s = result.summary;
  const head = driftHeadline(result);
  const failing = result.features.filter(isFailingDriftFeature);
  const names = failing.slice(0, 4).map((f) => `<code>${h(clip(f.name, 80))}</code>`);
  const more = failing.length > 4 ? ` and ${int(failing.length - 4)} more` : '';
  const lede =
    result.verdict === 'pass'
      ? `No drift beyond the gate: ${h(head.detail)}.`
      : `${h(head.detail)}${names.length > 0 ? `: ${names.join(', ')}${more}` : ''}.`;
  const reasons =
    result.reasons.length > 1 || result.notes.length > 0
      ? `<section><h2>Why</h2><ul class="reasons">${[...result.reasons.map((r) => `<li>${h(r)}</li>`), ...result.notes.map((n) => `<li class="note">${h(n)}</li>`)].join('')}</ul></section>`
      : '';
  return page({
    title: `skewcheck drift: ${result.verdict.toUpperCase()} — ${train.source} vs ${prod.source}`,
    verdict: result.verdict,
    heading: 'skewcheck drift',
    lede,
    meta: `train <code>${h(train.source)}</code> (${int(train.rows)} rows) vs prod <code>${h(prod.source)}</code> (${int(prod.rows)} rows) · ${h(settingsText(result))}`,
    body: [
      `<section class="cards">${[
        card(int(s.tested), 'features tested'),
        card(int(s.distribution_drifted), 'distribution drift', s.distribution_drifted > 0),
        card(int(s.null_rate_drifted), 'null-rate drift', s.null_rate_drifted > 0),
        card(int(s.schema_mismatches), 'missing or retyped', s.schema_mismatches > 0),
        card(int(s.skipped + s.cannot_test), 'not tested'),
      ].join('')}</section>`,
      reasons,
      featureTable(result),
      chunksSection(result),
      panels(result),
    ],
    footer: `Rendered by skewcheck from a drift result (schema version ${result.schema_version}). Charts are drawn from aggregated data: bin counts, category counts and summary statistics.`,
  });
}
