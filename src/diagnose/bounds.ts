// The bounds of a row's window as TIMESTAMPs, for checks that place events in windows: the first
// window column is the start; the end is `window_end` when aligned on, else start + the stream's
// fixed window size, else unknown.
import type { JoinedRows } from '../diff/engine.js';
import type { WindowSpec } from '../replay/windows.js';
import { col, isTimeType } from './sql.js';

export interface WindowBounds {
  start: string;
  /** NULL when the end cannot be known. */
  end: string;
}

export function windowBounds(
  joined: JoinedRows,
  types: ReadonlyMap<string, string>,
  window: WindowSpec | undefined,
  alias?: string,
): WindowBounds {
  const startColumn = joined.timeColumns[0];
  if (!startColumn || !isTimeType(types.get(startColumn))) return { start: 'NULL', end: 'NULL' };
  const start = `CAST(${col(alias, startColumn)} AS TIMESTAMP)`;
  if (joined.timeColumns.includes('window_end') && isTimeType(types.get('window_end'))) {
    return { start, end: `CAST(${col(alias, 'window_end')} AS TIMESTAMP)` };
  }
  if (window && window.kind !== 'session') {
    return { start, end: `CAST(${start} + to_milliseconds(${window.sizeMs}) AS TIMESTAMP)` };
  }
  return { start, end: 'NULL' };
}
