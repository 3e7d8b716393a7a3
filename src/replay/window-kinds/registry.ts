// Every window kind, by name. A new kind is one file (spec, constructor, assigner) plus its line
// in `WindowSpec` and here; a spec without an assigner, an assigner without a spec, or an
// assigner filed under another kind's name does not compile.
import type { WindowAssigner } from './assigner.js';
import { type HoppingWindow, hoppingWindows } from './hopping.js';
import { type SessionWindow, sessionWindows } from './session.js';
import { type TumblingWindow, tumblingWindows } from './tumbling.js';

/** One assigner per kind of `Specs`, each typed for its own spec. */
export type WindowAssignerRegistry<Specs extends { readonly kind: string }> = {
  readonly [K in Specs['kind']]: WindowAssigner<Extract<Specs, { kind: K }>>;
};

export type WindowSpec = TumblingWindow | HoppingWindow | SessionWindow;

export const WINDOW_ASSIGNERS = {
  tumbling: tumblingWindows,
  hopping: hoppingWindows,
  session: sessionWindows,
} as const satisfies WindowAssignerRegistry<WindowSpec>;

/** The assigner for a spec (the registry lookup the compiler cannot correlate on its own). */
export function assignerFor<S extends WindowSpec>(spec: S): WindowAssigner<S> {
  return WINDOW_ASSIGNERS[spec.kind] as unknown as WindowAssigner<S>;
}
