/**
 * Runs one parse in a fresh worker thread so a large file never blocks the server's event loop,
 * and a parse that runs out of memory ends its worker, not the server. One worker per job: the
 * start-up (~0.5 s for TypeScript and the parser modules) is small beside a bank export's parse.
 * The general worker pool (runs/) keeps engine workers warm; this is for imports only.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerStart } from '../../runtime-paths.ts';

export type OffThreadReply<T> = { ok: true; value: T } | { ok: false; message: string };

/** A parse still running after this long is stopped (the limits make a real one far shorter). */
const DEFAULT_TIMEOUT_MS = 30 * 60_000;

export function runOffThread<T>(start: WorkerStart, input: unknown, options: { maxOldGenerationSizeMb: number; timeoutMs?: number }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(start.file, { workerData: { entry: start.entry, input }, resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => settle(() => reject(new Error(`reading the file took longer than ${timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} minutes` : `${Math.round(timeoutMs / 1000)} s`} and was stopped`))), timeoutMs);
    let settled = false;
    // The worker is gone before the caller hears back, so it never writes into a folder the caller removes.
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate().finally(done);
    };
    worker.once('message', (reply: OffThreadReply<T>) => settle(() => (reply.ok ? resolve(reply.value) : reject(new Error(reply.message)))));
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the import worker stopped before answering (exit code ${code})`))));
  });
}
