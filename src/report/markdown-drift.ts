// Markdown for a drift result: the verdict in one line, the drifted features in a table, the
// rest and the category shifts in <details>.
import type { FeatureResult } from '../drift/types.js';
import {
  countsText,
  type DriftReport,
  driftHeadline,
  effectText,
  isFailingDriftFeature,
  nullsText,
  pAdjustedText,
  settingsText,
  shiftText,
  statisticText,
  typeText,
  verdictLabel,
} from './drift-text.js';
import { mdCode, mdText } from './escape.js';
import { int, percent } from './format.js';
import { type MarkdownLimits, table } from './markdown-table.js';

function details(summary: string, body: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}

function featureRows(features: FeatureResult[], limits: MarkdownLimits): string[][] {
  return features.map((f) => [
    mdCode(f.name, { inTable: true, max: limits.cell }),
    mdText(typeText(f), { inTable: true }),
    countsText(f),
    mdText(statisticText(f), { inTable: true }),
    pAdjustedText(f),
    mdText(effectText(f), { inTable: true }),
    mdText(nullsText(f), { inTable: true }),
    f.drift || f.status === 'type_mismatch' || f.status.startsWith('only_')
      ? `**${verdictLabel(f)}**`
      : verdictLabel(f),
  ]);
}

const HEAD = [
  'feature',
  'kind',
  'n train / prod',
  'statistic',
  'p (adj.)',
  'effect',
  'nulls train → prod',
  'verdict',
];
const ALIGN: ('left' | 'right')[] = ['left', 'left', 'right', 'right', 'right', 'left', 'right', 'left'];

export function renderDriftMarkdown(result: DriftReport, limits: MarkdownLimits): string {
  const { train, prod } = result.snapshots;
  const head = driftHeadline(result);
  const failing = result.features.filter(isFailingDriftFeature);
  const others = result.features.filter((f) => !isFailingDriftFeature(f));
  const names = failing.slice(0, 3).map((f) => mdCode(f.name, { max: 60 }));
  const more = failing.length > 3 ? ` and ${int(failing.length - 3)} more` : '';
  const icon = result.verdict === 'pass' ? '✅' : '❌';
  const lines = [
    `### ${icon} skewcheck drift: ${head.verdict} — ${head.detail}${names.length > 0 && result.verdict === 'fail' ? `: ${names.join(', ')}${more}` : ''}`,
    '',
    `train ${mdCode(train.source, { max: 80 })} (${int(train.rows)} rows) vs prod ${mdCode(prod.source, { max: 80 })} (${int(prod.rows)} rows) · ${mdText(settingsText(result))}`,
    '',
  ];
  if (result.verdict === 'fail' && result.reasons.length > 1) {
    for (const reason of result.reasons.slice(0, limits.features))
      lines.push(`- ${mdText(reason, { max: 300 })}`);
    lines.push('');
  }
  if (failing.length > 0) {
    lines.push(
      ...table(
        HEAD,
        ALIGN,
        featureRows(failing, limits),
        limits.features,
        (n) => `… and ${int(n)} more failing features`,
      ),
      '',
    );
  }
  // How the drifted features moved: quartiles of numeric ones, the largest category shifts.
  const moves = failing
    .filter((f) => f.distribution_drift)
    .slice(0, limits.keys)
    .flatMap((f) => {
      if (f.categorical) {
        const shifts = f.categorical.top_shifts
          .map(
            (s) =>
              `${mdCode(s.category, { max: limits.cell })} ${percent(s.train_share)} → ${percent(s.prod_share)}`,
          )
          .join(', ');
        const added = f.categorical.new_categories.count;
        return [
          `- ${mdCode(f.name, { max: limits.cell })}: ${shifts}${added > 0 ? `; ${int(added)} new in prod` : ''}`,
        ];
      }
      const shift = shiftText(f);
      return shift ? [`- ${mdCode(f.name, { max: limits.cell })}: ${mdText(shift)}`] : [];
    });
  if (moves.length > 0) lines.push(...details('How the drifted features moved', moves));
  if (others.length > 0 && limits.samples > 0) {
    lines.push(
      ...details(
        `Features without drift (${int(others.length)})`,
        table(HEAD, ALIGN, featureRows(others, limits), limits.features, (n) => `… and ${int(n)} more`),
      ),
    );
  }
  const notes = [...result.features.flatMap((f) => f.notes.map((n) => `${f.name}: ${n}`)), ...result.notes];
  if (notes.length > 0) {
    const shown = notes.slice(0, limits.features).map((n) => `- ${mdText(n, { max: 300 })}`);
    if (notes.length > shown.length) shown.push(`- … and ${int(notes.length - shown.length)} more notes`);
    lines.push(...details(`Notes (${int(notes.length)})`, shown));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
