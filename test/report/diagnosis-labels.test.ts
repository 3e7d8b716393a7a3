import { describe, expect, it } from 'vitest';
import { loadRenderers, renderReport } from '../../src/report/index.js';
import { replayFail } from './fixtures.js';

describe('diagnosis labels in reports', () => {
  const result = replayFail();
  result.diagnoses = [
    { code: 'time_shift', explains: 3, share: 0.75, message: 'shifted by +1h', evidence: {} },
    {
      code: 'unexplained',
      explains: 1,
      share: 0.25,
      message: '1 differing row is not explained',
      evidence: {},
    },
  ];

  it('calls a recognised cause "Likely cause" and what is left "Not explained"', async () => {
    await loadRenderers(['md', 'html']);
    for (const format of ['md', 'html']) {
      const text = renderReport(format, result);
      expect(text).toMatch(/Likely cause<?\/?b?>?\**\s*\(75\.00%/);
      expect(text).toMatch(/Not explained<?\/?b?>?\**\s*\(25\.00%/);
      expect(text).not.toMatch(/Likely cause<?\/?b?>?\**\s*\(25\.00%/);
    }
  });
});
