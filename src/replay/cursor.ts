// Where the harness is, so a throw from user code can be reported with its event. When the
// module runs in a worker, every phase change is also published to shared memory: the main
// thread's watchdog reads it to name the function and event of a call that runs too long, and
// what was running when a worker died.

/** Phases: `harness` is skewcheck's own work; every other phase runs the user's code. */
export const PHASES = ['harness', 'load', 'key', 'init', 'add', 'emit', 'merge', 'onEvent', 'onEnd'] as const;
export type Phase = (typeof PHASES)[number];

const PHASE_CODE = Object.fromEntries(PHASES.map((p, i) => [p, i])) as Record<Phase, number>;

/** Shared memory layout: int32 [phase code, heartbeat], float64 [event number, event time]. */
export const SHARED_CURSOR_BYTES = 32;

export interface CursorSnapshot {
  phase: Phase;
  heartbeat: number;
  /** 1-based position of the event being processed in this replay (0: none yet). */
  eventNumber: number;
  /** Its event time (epoch ms), NaN when none. */
  time: number;
}

export function readSharedCursor(buffer: SharedArrayBuffer): CursorSnapshot {
  const ints = new Int32Array(buffer, 0, 2);
  const floats = new Float64Array(buffer, 8, 2);
  return {
    phase: PHASES[Atomics.load(ints, 0)] ?? 'harness',
    heartbeat: Atomics.load(ints, 1),
    eventNumber: floats[0]!,
    time: floats[1]!,
  };
}

export class Cursor {
  eventNumber = 0;
  event?: Record<string, unknown>;
  time?: number;
  key?: unknown;
  private current: Phase = 'harness';
  private readonly ints?: Int32Array;
  private readonly floats?: Float64Array;

  constructor(shared?: SharedArrayBuffer) {
    if (shared) {
      this.ints = new Int32Array(shared, 0, 2);
      this.floats = new Float64Array(shared, 8, 2);
    }
  }

  get phase(): Phase {
    return this.current;
  }

  set phase(phase: Phase) {
    this.current = phase;
    const ints = this.ints;
    if (ints) {
      this.floats![0] = this.eventNumber;
      this.floats![1] = this.time ?? Number.NaN;
      ints[0] = PHASE_CODE[phase];
      ints[1] = (ints[1]! + 1) | 0;
    }
  }

  /**
   * The next event of a loop that stays in one phase (onEvent): published like a phase change,
   * so the watchdog times each call, not the whole batch, and names the event it is on.
   */
  next(event: Record<string, unknown>, time: number): void {
    this.eventNumber++;
    this.event = event;
    this.time = time;
    const ints = this.ints;
    if (ints) {
      this.floats![0] = this.eventNumber;
      this.floats![1] = time;
      ints[1] = (ints[1]! + 1) | 0;
    }
  }

  /** Between events: no event, key or time. */
  clear(): void {
    this.eventNumber = 0;
    this.event = undefined;
    this.time = undefined;
    this.key = undefined;
    this.phase = 'harness';
  }
}
