// Arrival-order replay: from an ingestion-time column of the log, or simulated by delaying a
// deterministic (seeded) share of events, to measure how streaming features diverge from batch
// under realistic lateness before production does it for you.
import { InputError, UsageError } from '../errors.js';
import { quoteIdent, type Session, type Source } from '../io/index.js';
import { parseDuration } from './duration.js';
import type { ReplayOrder } from './replay-run.js';

export interface SimulatedDelay {
  /** Share of events that arrive late, 0..1. */
  rate: number;
  /** Largest delay, ms; a delayed event arrives uniformly 1 µs..max after its event time. */
  maxMs: number;
  seed: number;
}

/** Parse `rate=0.01,max=4h[,seed=7]`. */
export function parseSimulatedDelay(spec: string): SimulatedDelay {
  const fields = new Map<string, string>();
  for (const part of spec.split(',')) {
    const [name, value, ...rest] = part.split('=').map((p) => p.trim());
    if (!name || value === undefined || rest.length > 0) {
      throw new UsageError(`--simulate-delay expects rate=R,max=DURATION[,seed=N], got "${spec}"`);
    }
    fields.set(name, value);
  }
  const unknown = [...fields.keys()].filter((k) => !['rate', 'max', 'seed'].includes(k));
  if (unknown.length > 0)
    throw new UsageError(`--simulate-delay: unknown field ${unknown.join(', ')} (rate, max, seed)`);
  const rate = Number(fields.get('rate'));
  if (!fields.has('rate') || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new UsageError(
      `--simulate-delay: rate must be a number from 0 to 1, got "${fields.get('rate') ?? ''}"`,
    );
  }
  let maxMs: number;
  try {
    maxMs = parseDuration(fields.get('max') ?? '');
  } catch {
    throw new UsageError(
      `--simulate-delay: max must be a duration such as 4h, got "${fields.get('max') ?? ''}"`,
    );
  }
  if (maxMs <= 0) throw new UsageError('--simulate-delay: max must be positive');
  const seed = Number(fields.get('seed') ?? '42');
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UsageError(`--simulate-delay: seed must be a whole number`);
  return { rate, maxMs, seed };
}

const TIME_TYPES = /^(TIMESTAMP.*|DATE)$/;

/** The replay order for an ingestion-time column of the log. */
export function arrivalColumnOrder(source: Source, column: string, maxOutOfOrdernessMs: number): ReplayOrder {
  const info = source.columns.find((c) => c.name === column);
  if (!info) {
    throw new InputError(
      `the event log ${source.path} has no arrival column "${column}" (its columns: ${source.columns.map((c) => c.name).join(', ')})`,
      { file: source.path, column },
    );
  }
  if (!TIME_TYPES.test(info.type)) {
    throw new InputError(
      `the arrival column "${column}" of ${source.path} has type ${info.type}; expected TIMESTAMP`,
      {
        file: source.path,
        column,
      },
    );
  }
  return { kind: 'arrival', expression: `src.${quoteIdent(column)}`, maxOutOfOrdernessMs };
}

/**
 * The replay order for simulated delays: arrival = event time + delay, where a seeded hash of
 * each event's values picks whether it is delayed and by how much — the same log gives the
 * same arrival order on every run and machine.
 */
export async function simulatedDelayOrder(
  session: Session,
  source: Source,
  timeColumn: string,
  delay: SimulatedDelay,
  maxOutOfOrdernessMs: number,
): Promise<{ order: ReplayOrder; delayedEvents: number }> {
  const values = source.columns.map((c) => `src.${quoteIdent(c.name)}`).join(', ');
  const uniform = (salt: number) =>
    `(hash(${values}, ${delay.seed * 2 + salt}::BIGINT) % 1000000) / 1000000.0`;
  const delayed = `${uniform(0)} < ${delay.rate}`;
  const maxUs = Math.round(delay.maxMs * 1000);
  const expression = `(src.${quoteIdent(timeColumn)} + to_microseconds(CASE WHEN ${delayed} THEN CAST(1 + ${uniform(1)} * ${maxUs - 1} AS BIGINT) ELSE 0 END))`;
  const count = Number(
    await session.scalar(
      `SELECT count(*) FROM ${quoteIdent(source.name)} AS src WHERE src.${quoteIdent(timeColumn)} IS NOT NULL AND ${delayed}`,
    ),
  );
  return { order: { kind: 'arrival', expression, maxOutOfOrdernessMs }, delayedEvents: count };
}
