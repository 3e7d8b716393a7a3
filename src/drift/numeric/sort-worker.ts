// Worker thread of the sort pool (sort-pool.ts): sorts each array it is sent and sends it back;
// the buffers move between threads without copies.
import { parentPort } from 'node:worker_threads';
import { sortFiniteValues } from './sort-values.js';

const port = parentPort;
if (!port) throw new Error('sort-worker.js runs as a worker thread of the sort pool');
port.on('message', (task: { id: number; values: Float64Array }) => {
  sortFiniteValues(task.values);
  port.postMessage(task, [task.values.buffer as ArrayBuffer]);
});
