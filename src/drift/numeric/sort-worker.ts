// Worker thread of the sort pool (sort-pool.ts): sorts each array it is sent and sends it back;
// the buffers move between threads without copies.
import { parentPort } from 'node:worker_threads';
import { sortFiniteValues } from './sort-values.js';

const port = parentPort;
if (!port) throw new Error('sort-worker.js runs as a worker thread of the sort pool');
// Kept between tasks: allocating (and page-faulting) scratch space per column costs about as
// much as one pass of the sort. It lives as long as the pool, which ends with the comparison.
let scratch = new Float64Array(0);
port.on('message', (task: { id: number; values: Float64Array }) => {
  if (scratch.length < task.values.length) scratch = new Float64Array(task.values.length);
  sortFiniteValues(task.values, scratch);
  port.postMessage(task, [task.values.buffer as ArrayBuffer]);
});
