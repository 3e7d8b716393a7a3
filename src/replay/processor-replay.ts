// Replays a hand-written stream processor: every event in replay order to onEvent, with per-key
// state and the watermark, then onEnd.
import type { EntityKey, ProcessorContext, StreamProcessor } from './contract.js';
import { KeyCodec } from './key-codec.js';
import { forEachBatch, orderOf, type ReplayRun } from './replay-run.js';

export type EmitProcessorRow = (row: Record<string, unknown>) => void;

export async function replayProcessor(
  processor: StreamProcessor,
  run: ReplayRun,
  emitRow: EmitProcessorRow,
): Promise<void> {
  const { codec, cursor, stats } = run;
  const states = new Map<string, object>();
  let now = Number.NaN;
  let maxEventTime = Number.NEGATIVE_INFINITY;
  const order = orderOf(run);
  const outOfOrderness = order.kind === 'arrival' ? order.maxOutOfOrdernessMs : 0;
  const context: ProcessorContext = {
    emit: (row) => emitRow(row),
    state: <S extends object>(key: EntityKey): S => {
      const id = KeyCodec.id(codec.parts(key));
      let state = states.get(id);
      if (!state) {
        state = {};
        states.set(id, state);
        if (states.size > stats.max_open_windows) stats.max_open_windows = states.size;
      }
      return state as S;
    },
    clearState: (key) => {
      states.delete(KeyCodec.id(codec.parts(key)));
    },
    get currentTime() {
      return now;
    },
    get watermark() {
      return order.kind === 'arrival' ? maxEventTime - outOfOrderness : now;
    },
  };
  const { onEvent } = processor;
  await forEachBatch(run, ({ events, times, length }) => {
    cursor.phase = 'onEvent';
    for (let r = 0; r < length; r++) {
      const event = events[r]!;
      now = times[r]!;
      if (now > maxEventTime) maxEventTime = now;
      cursor.next(event, now);
      onEvent(event, context);
    }
  });
  cursor.phase = 'onEnd';
  cursor.event = undefined;
  processor.onEnd?.(context);
  cursor.phase = 'harness';
}
