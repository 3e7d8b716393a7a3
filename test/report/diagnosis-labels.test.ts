import { describe, expect, it } from 'vitest';
import { loadRenderers, renderReport } from '../../src/report/index.js';
import { replayFail } from './fixtures.js';

describe('diagnosis labels in reports', () => {
  const result = replayFail();
  result.diagnoses = [
    {
      code: 'time_shift',
      tier: 'reproduced',
      rows: 3,
      reproduced_rows: 3,
      share: 0.6,
      message: 'shifted by +1h',
      evidence: {},
      fix_hint: 'label windows in UTC',
    },
    {
      code: 'window_boundary',
      tier: 'consistent',
      rows: 1,
      reproduced_rows: 0,
      share: 0.2,
      message: 'an event on a bound',
      evidence: {},
      fix_hint: 'use [start, end)',
    },
    {
      code: 'unexplained',
      tier: 'unexplained',
      rows: 1,
      reproduced_rows: 0,
      share: 0.2,
      message: '1 differing row is not explained',
      evidence: {},
      fix_hint: 'start from the examples',
    },
  ];

  it('calls a reproduced cause "Likely cause", a consistent one "May be" and what is left "Not explained"', async () => {
    await loadRenderers(['md', 'html', 'junit', 'terminal']);
    for (const format of ['md', 'html']) {
      const text = renderReport(format, result);
      expect(text).toMatch(/Likely cause<?\/?b?>?\**\s*\(60\.00% of differing rows[^)]*reproduced\)/);
      expect(text).toMatch(/May be<?\/?b?>?\**\s*\(20\.00% of differing rows[^)]*not reproduced\)/);
      expect(text).toMatch(/Not explained<?\/?b?>?\**\s*\(20\.00%/);
      expect(text).not.toMatch(/Likely cause<?\/?b?>?\**\s*\(20\.00%/);
      expect(text).toContain('Fix: label windows in UTC');
    }
    const junit = renderReport('junit', result);
    expect(junit).toContain('Likely cause (reproduced, 60.00%): time_shift: shifted by +1h');
    expect(junit).toContain('May be (consistent, 20.00%): window_boundary');
    const terminal = renderReport('terminal', result);
    expect(terminal).toMatch(/time_shift\s+reproduced, 3 differing rows/);
    expect(terminal).toMatch(/window_boundary\s+may be \(not reproduced\), 1 differing row\n/);
  });
});
