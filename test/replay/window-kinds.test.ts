// The window-kind registry: each kind's assigner is found by its spec, and the compiler refuses
// a registry that misses a kind, files an assigner under another kind, or lists a kind that
// `WindowSpec` does not have.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { WindowAssigner } from '../../src/replay/window-kinds/assigner.js';
import {
  assignerFor,
  WINDOW_ASSIGNERS,
  type WindowAssignerRegistry,
  type WindowSpec,
} from '../../src/replay/window-kinds/registry.js';
import { hopping, isWindowSpec, session, tumbling } from '../../src/replay/windows.js';

describe('window kinds', () => {
  it('every spec constructor has its assigner', () => {
    for (const spec of [tumbling('5m'), hopping('10m', '5m'), session('30m')]) {
      expect(assignerFor(spec).kind).toBe(spec.kind);
      expect(isWindowSpec(spec)).toBe(true);
    }
    expect(Object.keys(WINDOW_ASSIGNERS).sort()).toEqual(['hopping', 'session', 'tumbling']);
  });

  it('says how many windows one event opens at most', () => {
    expect(assignerFor(tumbling('5m')).windowsPerEvent(tumbling('5m'))).toBe(1);
    expect(assignerFor(hopping('30d', '1s')).windowsPerEvent(hopping('30d', '1s'))).toBe(2_592_000);
    expect(assignerFor(session('1h')).windowsPerEvent(session('1h'))).toBe(1);
  });

  it('refuses unknown kinds and malformed specs', () => {
    expect(isWindowSpec({ kind: 'sliding', sizeMs: 1 })).toBe(false);
    expect(isWindowSpec({ kind: 'toString' })).toBe(false);
    expect(isWindowSpec({ kind: 'tumbling', sizeMs: 0 })).toBe(false);
    expect(isWindowSpec({ kind: 'session' })).toBe(false);
  });

  it('a missed step is a compile error', () => {
    const { session: _omitted, ...withoutSession } = WINDOW_ASSIGNERS;
    // @ts-expect-error a registry without the session assigner does not satisfy the registry type
    const missing: WindowAssignerRegistry<WindowSpec> = withoutSession;
    const swapped: WindowAssignerRegistry<WindowSpec> = {
      ...WINDOW_ASSIGNERS,
      // @ts-expect-error an assigner filed under another kind's name
      tumbling: WINDOW_ASSIGNERS.hopping,
    };
    // A new spec added to the union without its assigner:
    type Sliding = { readonly kind: 'sliding'; readonly sizeMs: number };
    // @ts-expect-error the registry has no 'sliding' assigner
    const unlisted: WindowAssignerRegistry<WindowSpec | Sliding> = WINDOW_ASSIGNERS;
    const excess: WindowAssignerRegistry<WindowSpec> = {
      ...WINDOW_ASSIGNERS,
      // @ts-expect-error an assigner for a kind `WindowSpec` does not list is an excess property
      sliding: { ...WINDOW_ASSIGNERS.tumbling, kind: 'sliding' as const },
    };
    expect([missing, swapped, unlisted, excess].length).toBe(4);
    expectTypeOf(WINDOW_ASSIGNERS.hopping).toEqualTypeOf<WindowAssigner<ReturnType<typeof hopping>>>();
  });
});
