/** Worker of the pool tests' `sum` kind: adds numbers; its final message is `result`. */
import { parentPort, threadId } from 'node:worker_threads';

const port = parentPort!;
port.on('message', (request: { numbers: number[] }) => {
  port.postMessage({ type: 'result', sum: request.numbers.reduce((a, b) => a + b, 0), threadId });
});
