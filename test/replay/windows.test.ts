import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/replay/duration.js';
import { hopping, tumbling, windowStartsFor } from '../../src/replay/windows.js';

const T = (iso: string) => Date.parse(iso);

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['30d', 2_592_000_000],
    ['1500', 1500],
    [250, 250],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5 minutes', 'm5', '5x', '-1s'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
  });
});

describe('window assignment', () => {
  it('tumbling windows are [start, end) and aligned to the UTC epoch', () => {
    const w = tumbling('5m');
    expect(windowStartsFor(w, T('2026-01-01T10:04:59.999Z'))).toEqual([T('2026-01-01T10:00:00Z')]);
    expect(windowStartsFor(w, T('2026-01-01T10:05:00.000Z'))).toEqual([T('2026-01-01T10:05:00Z')]);
  });

  it('honours an offset', () => {
    const w = tumbling('1d', { offset: '2h' });
    expect(windowStartsFor(w, T('2026-01-01T01:00:00Z'))).toEqual([T('2025-12-31T02:00:00Z')]);
    expect(windowStartsFor(w, T('2026-01-01T02:00:00Z'))).toEqual([T('2026-01-01T02:00:00Z')]);
  });

  it('assigns an event to size/slide hopping windows, all containing it', () => {
    const w = hopping('1h', '15m');
    const t = T('2026-01-01T10:20:00Z');
    const starts = windowStartsFor(w, t);
    expect(starts.map((s) => new Date(s).toISOString())).toEqual([
      '2026-01-01T09:30:00.000Z',
      '2026-01-01T09:45:00.000Z',
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:15:00.000Z',
    ]);
    for (const s of starts) expect(t >= s && t < s + 3_600_000).toBe(true);
  });

  it('handles times before the epoch', () => {
    expect(windowStartsFor(tumbling('1h'), -1)).toEqual([-3_600_000]);
  });

  it('rejects a slide larger than the size and non-positive sizes', () => {
    expect(() => hopping('5m', '10m')).toThrow(/must not exceed/);
    expect(() => tumbling(0)).toThrow(/must be positive/);
  });
});
