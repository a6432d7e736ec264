/** Worker entry for off-thread.test.ts: does what `input.mode` says. */
import { parentPort, workerData } from 'node:worker_threads';

const { mode } = (workerData as { input: { mode: 'answer' | 'throw' | 'hang' | 'exit' } }).input;
if (mode === 'answer') parentPort!.postMessage({ ok: true, value: { threadId: (await import('node:worker_threads')).threadId } });
if (mode === 'throw') throw new Error('parser blew up');
if (mode === 'exit') process.exit(3);
if (mode === 'hang') setInterval(() => {}, 1000);
