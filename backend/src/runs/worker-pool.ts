/**
 * A bounded pool of worker threads for calculations, so one user's run never blocks the event
 * loop that serves everyone's requests. At most `size` jobs run at once and at most `perUser` per
 * user; the rest wait in FIFO order (a user at their limit does not hold up others behind them).
 * Each job gets a fresh worker, so cancelling is simply terminating it.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerRequest, WorkerMessage } from './worker-protocol.ts';

export interface PoolJob {
  id: string;
  userId: string;
  request: WorkerRequest;
  onStart: () => void;
  /** A promise returned for the final message keeps the job's slot until it settles (results being saved). */
  onMessage: (message: WorkerMessage) => void | Promise<void>;
  /** Called once when the worker ends without a final message (crash or terminate). */
  onExit: (error: Error | null) => void;
}

const BOOT = new URL('./worker-boot.mjs', import.meta.url);
const ENTRY = new URL('./worker.ts', import.meta.url).href;

export class WorkerPool {
  private readonly queue: PoolJob[] = [];
  private readonly running = new Map<string, { job: PoolJob; worker: Worker; settled: boolean }>();
  private closed = false;

  constructor(readonly size: number, readonly perUser: number) {}

  submit(job: PoolJob): void {
    if (this.closed) throw new Error('the run pool is closed');
    this.queue.push(job);
    this.pump();
  }

  /** 'queued' | 'running' when found and stopped, undefined when the job is unknown (already finished). */
  cancel(id: string): 'queued' | 'running' | undefined {
    const index = this.queue.findIndex((j) => j.id === id);
    if (index >= 0) {
      this.queue.splice(index, 1);
      return 'queued';
    }
    const entry = this.running.get(id);
    if (!entry) return undefined;
    entry.settled = true;
    this.running.delete(id);
    void entry.worker.terminate();
    this.pump();
    return 'running';
  }

  stats(): { running: number; queued: number } {
    return { running: this.running.size, queued: this.queue.length };
  }

  async close(): Promise<string[]> {
    this.closed = true;
    const stopped = [...this.running.keys(), ...this.queue.map((j) => j.id)];
    this.queue.length = 0;
    const workers = [...this.running.values()].map((e) => {
      e.settled = true;
      return e.worker.terminate();
    });
    this.running.clear();
    await Promise.allSettled(workers);
    return stopped;
  }

  private runningFor(userId: string): number {
    let count = 0;
    for (const { job } of this.running.values()) if (job.userId === userId) count += 1;
    return count;
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.size) {
      const index = this.queue.findIndex((j) => this.runningFor(j.userId) < this.perUser);
      if (index < 0) return;
      const [job] = this.queue.splice(index, 1);
      if (job) this.start(job);
    }
  }

  private start(job: PoolJob): void {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY } });
    const entry = { job, worker, settled: false };
    this.running.set(job.id, entry);
    job.onStart();
    worker.on('message', (message: WorkerMessage) => {
      if (entry.settled) return;
      if (message.type === 'done' || message.type === 'failed') {
        entry.settled = true;
        void worker.terminate();
        void Promise.resolve(job.onMessage(message)).finally(() => {
          if (this.running.get(job.id) === entry) this.running.delete(job.id);
          this.pump();
        });
        return;
      }
      job.onMessage(message);
    });
    const end = (error: Error | null) => {
      if (entry.settled) return;
      entry.settled = true;
      this.running.delete(job.id);
      job.onExit(error);
      this.pump();
    };
    worker.on('error', (error: unknown) => end(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => end(code === 0 ? null : new Error(`calculation worker exited with code ${code}`)));
    worker.postMessage(job.request);
  }
}
