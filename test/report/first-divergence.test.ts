import { describe, expect, it } from 'vitest';
import type { DiffResult } from '../../src/diff/index.js';
import { loadRenderers, renderReport } from '../../src/report/index.js';
import { replayFail, XSS } from './fixtures.js';

/** A replay result with a first-divergence section whose event values try to break out of each format. */
function withFirstDivergence(): DiffResult {
  const result = replayFail();
  result.first_divergence = {
    sampled: 3,
    agree_alone: 1,
    without_events: 0,
    failed: 0,
    events: [
      {
        key: { user_id: 'u1' },
        window: { window_start: '2026-01-01T10:00:00.000Z', window_end: '2026-01-01T10:05:00.000Z' },
        position: 2,
        window_events: 4,
        event: {
          user_id: 'u1',
          ts: '2026-01-01T10:05:00.000Z',
          note: `${XSS}|\`x\`\n\u001b[31m@team`,
          delay: 15,
          amount: null,
        },
      },
    ],
    profile: [
      {
        column: 'delay',
        predicate: 'equals',
        value: 15,
        first_divergent: 2,
        of: 2,
        log_events: 19,
        log_total: 1000,
        tier: 'consistent',
        message: 'delay = 15 in 2 of 2 first-divergent events vs 1.90% of all events',
      },
    ],
  };
  return result;
}

describe('first divergent events in reports', () => {
  const result = withFirstDivergence();

  it('shows the event with all its columns and the shared predicate as "may be", in every format', async () => {
    await loadRenderers(['md', 'html', 'junit']);
    const terminal = renderReport('terminal', result);
    for (const text of [terminal, ...['md', 'html', 'junit'].map((f) => renderReport(f, result))]) {
      expect(text).toContain('event 2 of 4');
      expect(text).toMatch(/delay=15/);
      expect(text).toMatch(/amount=NULL/);
      expect(text).toContain('delay = 15 in 2 of 2 first-divergent events vs 1.90% of all events');
      expect(text).toMatch(/may be/i);
    }
    // Markup only where it could act: HTML and XML escape it; Markdown keeps it in a code span.
    for (const format of ['html', 'junit']) expect(renderReport(format, result)).not.toContain(XSS);
    expect(renderReport('md', result)).toMatch(/`[^`\n]*<script>alert\(1\)<\/script>[^`\n]*`/);
    // The newline and the terminal escape show as symbols (⏎, ␛), never act.
    expect(terminal).toContain('⏎␛[31m@team');
    expect(terminal).not.toContain('\u001b[31m');
    expect(renderReport('html', result)).toContain('&lt;script&gt;');
  });

  it('leaves the section out when there is nothing bisected', () => {
    const plain = replayFail();
    expect(renderReport('terminal', plain)).not.toContain('First divergent events');
    expect(renderReport('md', plain)).not.toContain('First divergent events');
  });
});
