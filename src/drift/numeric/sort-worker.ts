// Worker thread of the sort pool (sort-pool.ts): runs each task it is sent (sort and summarise a
// side, or walk two sorted sides) and sends the result back; buffers move without copies.
import { parentPort } from 'node:worker_threads';
import { type NumericTask, runTask, taskBuffers } from './tasks.js';

const port = parentPort;
if (!port) throw new Error('sort-worker.js runs as a worker thread of the sort pool');
// Kept between tasks: allocating (and page-faulting) scratch space per column costs about as
// much as one pass of the sort. It lives as long as the pool, which ends with the comparison.
let scratch = new Float64Array(0);
port.on('message', (message: { id: number; task: NumericTask }) => {
  const { task } = message;
  if (task.kind === 'side' && scratch.length < task.side.finite.length)
    scratch = new Float64Array(task.side.finite.length);
  const result = runTask(task, scratch);
  port.postMessage({ id: message.id, result }, taskBuffers(result));
});
