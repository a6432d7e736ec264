/** Worker of the pool tests' `echo` kind: answers a value after a delay, or crashes when asked. */
import { parentPort, threadId } from 'node:worker_threads';

const port = parentPort!;
port.on('message', (request: { value: string; delayMs?: number; crash?: boolean }) => {
  port.postMessage({ type: 'progress', threadId });
  setTimeout(() => {
    if (request.crash) throw new Error(`echo worker crashed on ${request.value}`);
    port.postMessage({ type: 'done', value: request.value, threadId });
  }, request.delayMs ?? 0);
});
