// Window definitions for streaming features. Windows are half-open [start, end); fixed windows
// are aligned to the UTC epoch (plus an optional offset), the convention of Flink, Kafka Streams
// and DuckDB's time_bucket. Each kind lives in window-kinds/, one file per kind.
import { floorTo } from './window-kinds/assigner.js';
import { type HoppingWindow, hoppingStartsFor } from './window-kinds/hopping.js';
import { WINDOW_ASSIGNERS, type WindowSpec } from './window-kinds/registry.js';
import type { TumblingWindow } from './window-kinds/tumbling.js';

export { type HoppingWindow, hopping } from './window-kinds/hopping.js';
export type { WindowSpec } from './window-kinds/registry.js';
export { type SessionWindow, session } from './window-kinds/session.js';
export { type TumblingWindow, tumbling } from './window-kinds/tumbling.js';

/** Start times (epoch ms) of every fixed window containing time t, in increasing order. */
export function windowStartsFor(spec: TumblingWindow | HoppingWindow, t: number): number[] {
  if (spec.kind === 'tumbling') return [floorTo(t, spec.sizeMs, spec.offsetMs)];
  return hoppingStartsFor(spec, t);
}

export function isWindowSpec(value: unknown): value is WindowSpec {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !Object.hasOwn(WINDOW_ASSIGNERS, kind)) return false;
  return WINDOW_ASSIGNERS[kind as keyof typeof WINDOW_ASSIGNERS].isSpec(value as Record<string, unknown>);
}
