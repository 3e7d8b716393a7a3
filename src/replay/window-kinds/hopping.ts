// Hopping windows: fixed size, starting every `slide`, aligned to the UTC epoch plus an offset;
// an event belongs to size/slide of them.
import { type Duration, parseDuration } from '../duration.js';
import { floorTo, placeFixed, positiveDuration, type WindowAssigner } from './assigner.js';

export interface HoppingWindow {
  readonly kind: 'hopping';
  readonly sizeMs: number;
  readonly slideMs: number;
  readonly offsetMs: number;
}

/** Fixed-size windows starting every `slide`: an event belongs to size/slide windows. */
export function hopping(size: Duration, slide: Duration, options: { offset?: Duration } = {}): HoppingWindow {
  const sizeMs = positiveDuration(size, 'window size');
  const slideMs = positiveDuration(slide, 'window slide');
  if (slideMs > sizeMs)
    throw new Error(`window slide (${String(slide)}) must not exceed its size (${String(size)})`);
  return { kind: 'hopping', sizeMs, slideMs, offsetMs: parseDuration(options.offset ?? 0) };
}

/** Start times (epoch ms) of every hopping window containing time t, in increasing order. */
export function hoppingStartsFor(spec: HoppingWindow, t: number): number[] {
  const last = floorTo(t, spec.slideMs, spec.offsetMs);
  const starts: number[] = [];
  for (let start = last - spec.sizeMs + spec.slideMs; start <= last; start += spec.slideMs) {
    if (t >= start && t < start + spec.sizeMs) starts.push(start);
  }
  return starts;
}

export const hoppingWindows: WindowAssigner<HoppingWindow> = {
  kind: 'hopping',
  sessions: false,
  isSpec: (value) => typeof value.sizeMs === 'number' && typeof value.slideMs === 'number',
  windowsPerEvent: (spec) => Math.ceil(spec.sizeMs / spec.slideMs),
  place: (spec, table, entry, event, t) =>
    placeFixed(table, entry, event, hoppingStartsFor(spec, t), spec.sizeMs),
};
