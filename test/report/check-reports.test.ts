// The reports of a `check` run escape what comes from the data (feature names in headlines,
// notes, error text) the way every other report does.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { checkRun, XSS } from './fixtures.js';

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('check markdown', () => {
  const hostile = '@acme/oncall *bold* _x_ [link](http://e.test) <b>x</b> | pipe\nnext `tick`';

  function hostileRun() {
    const result = checkRun();
    result.checks[0]!.headline = `1 of 7 features drifted: ${hostile}`;
    result.checks[1]!.name = `@acme/oncall*${XSS}`;
    result.checks[3]!.name = `@acme/oncall<i>`;
    result.notes = [`note ${hostile}`];
    return result;
  }

  it('neutralises mentions, emphasis, links, HTML, pipes and newlines in headlines and notes', () => {
    const md = renderReport('md', hostileRun());
    const row = md.split('\n').find((l) => l.startsWith('| `fraud_5m`'))!;
    expect(cells(row)).toHaveLength(4);
    expect(cells(row)[3]).toBe(
      '1 of 7 features drifted: @\u2060acme/oncall \\*bold\\* \\_x\\_ \\[link\\](http://e.test) &lt;b&gt;x&lt;/b&gt; \\| pipe⏎next \\`tick\\`',
    );
    const note = md.split('\n').find((l) => l.startsWith('> note'))!;
    expect(note).toContain('@\u2060acme/oncall \\*bold\\*');
    expect(md).not.toMatch(/(^|[^`])@acme/m);
    expect(md).not.toContain('<b>');
  });

  it('shows check names literally in the table and in the folded sections', () => {
    const md = renderReport('md', hostileRun());
    expect(md).toContain(`| \`@acme/oncall*${XSS}\` | replay |`);
    expect(md).toContain(
      '<summary>☑️ baselined @\u2060acme/oncall*&lt;script&gt;alert(1)&lt;/script&gt;</summary>',
    );
    expect(md).toContain('<summary>⚠️ @\u2060acme/oncall&lt;i&gt;: could not run</summary>');
    // Outside code spans (where GitHub shows text literally) no tag from the data is left.
    const outsideCode = md.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    expect(outsideCode).not.toContain('<script');
    expect(outsideCode).not.toContain('<i>');
  });
});
