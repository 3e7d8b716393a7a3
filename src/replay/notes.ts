// Notes a replay adds to its result about events it did not replay as such. `skewcheck merge`
// recognises them in shard results and says them again for the summed counts.

export function nullTimeNote(events: number, timeColumn: string): string {
  return `${events} events have a NULL "${timeColumn}" and were not replayed (they belong to no window)`;
}

export function lateEventsNote(events: number, windows: number): string {
  return `${events} events arrived after the watermark had closed their window${windows === 1 ? '' : 's'} and were dropped by the stream (${windows} (key, window) pairs affected)`;
}

const NULL_TIME = /^\d+ events have a NULL "(.*)" and were not replayed \(they belong to no window\)$/s;
const LATE =
  /^\d+ events arrived after the watermark had closed their windows? and were dropped by the stream/;

/** What a replay note counts, for notes made by the functions above. */
export function replayNoteKind(
  note: string,
): { kind: 'null_time'; timeColumn: string } | { kind: 'late' } | undefined {
  const nullTime = NULL_TIME.exec(note);
  if (nullTime) return { kind: 'null_time', timeColumn: nullTime[1]! };
  return LATE.test(note) ? { kind: 'late' } : undefined;
}
