// What a replay tells the caller's `inspect` hook (the diagnosis) about the log it replayed: the
// replay layer hands this over instead of importing the diagnosis, which sits above it.
import type { Fence } from './replay-workers.js';
import type { WindowSpec } from './windows.js';

export interface ReplayedLog {
  /** The view holding the log (`events`). */
  relation: string;
  timeColumn: string;
  keyColumns: string[];
  /** The streaming feature's window (`module.feature.window`), when the module declares one. */
  window?: WindowSpec;
  /** The column identifying an event (`--event-id`). */
  eventIdColumn?: string;
  /** The table of events the stream dropped as late (arrival-order replay), when any were. */
  lateEventsTable?: string;
  /** The batch SQL file the left side was computed with. */
  batchSqlPath: string;
  /** The streaming module the right side was computed with. */
  streamModulePath: string;
  /** The fence the module ran in (--timeout, --memory-limit): replays for the diagnosis keep it. */
  fence?: Fence;
  /** The batch SQL may read files and reach the network (--allow-external-access). */
  allowExternalAccess?: boolean;
}
