/**
 * Runs one parse in a fresh worker thread so a large file never blocks the server's event loop,
 * and a parse that runs out of memory ends its worker, not the server. One worker per job: the
 * start-up (~0.5 s for TypeScript and the parser modules) is small beside a bank export's parse.
 * The general worker pool (runs/) keeps engine workers warm; this is for imports only.
 */
import { Worker } from 'node:worker_threads';

const BOOT = new URL('../../runs/worker-boot.mjs', import.meta.url);

export type OffThreadReply<T> = { ok: true; value: T } | { ok: false; message: string };

export function runOffThread<T>(entry: URL, input: unknown, options: { maxOldGenerationSizeMb: number }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(BOOT, { workerData: { entry: entry.href, input }, resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } });
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
      void worker.terminate();
    };
    worker.once('message', (reply: OffThreadReply<T>) => settle(() => (reply.ok ? resolve(reply.value) : reject(new Error(reply.message)))));
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the import worker stopped before answering (exit code ${code})`))));
  });
}
