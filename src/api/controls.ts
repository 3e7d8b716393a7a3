// What every library call takes besides its settings: a signal to cancel it and a progress
// callback. The library writes nothing to the console; progress goes to the callback only.

export interface RunControls {
  /**
   * Cancels the run: it rejects with the signal's reason (an `AbortError` unless you gave one).
   * A replay stops at its next batch of events; a query already running in DuckDB finishes first.
   */
  signal?: AbortSignal;
  /** Called once the event log is counted, then after every batch of replayed events. */
  onProgress?: (eventsDone: number, eventsTotal: number) => void;
  /** Called as the diagnosis starts each of its checks (a cause code), `done` of `total` before it. */
  onDiagnosis?: (check: string, done: number, total: number) => void;
}

/** Split the run controls off a library call's options, leaving its settings. */
export function splitControls<T extends RunControls>(
  options: T,
): { controls: RunControls; settings: Omit<T, keyof RunControls> } {
  const { signal, onProgress, onDiagnosis, ...settings } = options;
  return { controls: { signal, onProgress, onDiagnosis }, settings };
}

/** A progress callback that also stops the run once the signal is aborted. */
export function progressWithAbort(controls: RunControls): RunControls['onProgress'] {
  const { signal, onProgress } = controls;
  if (!signal && !onProgress) return undefined;
  return (done, total) => {
    signal?.throwIfAborted();
    onProgress?.(done, total);
  };
}

/** Run `work` unless the signal is already aborted, and reject if it was aborted meanwhile. */
export async function abortable<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  signal?.throwIfAborted();
  const result = await work();
  signal?.throwIfAborted();
  return result;
}
