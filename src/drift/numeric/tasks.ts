// The work the sort pool hands to its threads, the same code on a worker thread or on the calling
// thread: sort and summarise one side; walk two sorted sides. Nothing here loads DuckDB.
import { sortFiniteValues } from './sort-values.js';
import { summariseSide, walkSides } from './sorted-compare.js';
import type { NumericOptions, SideValues, SortedSide, WalkResult } from './types.js';

export type NumericTask =
  | { kind: 'side'; side: SideValues }
  | { kind: 'walk'; train: SideValues; prod: SideValues; options: NumericOptions };

/** Both sides handed back after their walk. */
export interface WalkedSides {
  train: SideValues;
  prod: SideValues;
  walk: WalkResult;
}

/** Values a task works on: the pool keeps small tasks on the calling thread. */
export function taskValues(task: NumericTask): number {
  return task.kind === 'side' ? task.side.finite.length : task.train.finite.length + task.prod.finite.length;
}

/** The buffers a task (or its result) holds, each once: they move between threads without copies. */
export function taskBuffers(task: NumericTask | WalkedSides | SortedSide): ArrayBuffer[] {
  const sides = 'values' in task ? [task.values] : 'side' in task ? [task.side] : [task.train, task.prod];
  return [...new Set(sides.map((s) => s.finite.buffer as ArrayBuffer))];
}

/** Run one task; `scratch` (kept by a worker between tasks) is reused by the sort when long enough. */
export function runTask(task: NumericTask, scratch?: Float64Array): SortedSide | WalkedSides {
  if (task.kind === 'side') {
    sortFiniteValues(task.side.finite, scratch);
    return { values: task.side, summary: summariseSide(task.side) };
  }
  return { train: task.train, prod: task.prod, walk: walkSides(task.train, task.prod, task.options) };
}
