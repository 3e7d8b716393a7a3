// The streaming harness in process: reads the log from DuckDB in replay order, replays it
// through the user's module (module-replay.ts) and loads the emitted rows and the dropped late
// events into DuckDB. `replay` runs the same replay fenced in worker threads (worker-pool.ts).
import type { Session, Source } from '../io/index.js';
import { DuckDBChunkTarget } from './chunk-table.js';
import { writeLateEvents } from './late-events-table.js';
import type { LoadedModule } from './module-loader.js';
import { replayModule } from './module-replay.js';
import { readEvents } from './replay-order.js';
import type { HarnessOptions, HarnessStats } from './replay-run.js';
import { familyOfSqlType } from './row-sink.js';

export type { HarnessOptions, HarnessStats } from './replay-run.js';

/** The family of each key column, from its type in the log (undefined when not a column of it). */
export function keyFamilies(source: Source, keyColumns: readonly string[]) {
  const types = new Map(source.columns.map((c) => [c.name, c.type]));
  return keyColumns.map((k) => familyOfSqlType(types.get(k)));
}

/** Replays the log through the module in this thread; rows go to the view `outputTable`. */
export async function runHarness(
  session: Session,
  source: Source,
  module: LoadedModule,
  options: HarnessOptions & { outputTable: string },
): Promise<HarnessStats> {
  const order = options.order ?? { kind: 'event-time' };
  const batches = readEvents(session, source, {
    timeColumn: options.timeColumn,
    orderExpression: order.kind === 'arrival' ? order.expression : undefined,
  });
  const target = new DuckDBChunkTarget(session, options.outputTable, options.keyColumns.length);
  const { stats, lateRows } = await replayModule(
    module,
    { batches, target, keyFamilies: keyFamilies(source, options.keyColumns) },
    options,
  );
  if (lateRows.length > 0) {
    stats.late_table = await writeLateEvents(session, source, options.keyColumns, lateRows);
  }
  return stats;
}
