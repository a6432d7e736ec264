/**
 * A bounded pool of worker threads for calculations, so one user's run never blocks the event
 * loop that serves everyone's requests. At most `size` jobs run at once and at most `perUser` per
 * user; the rest wait, taking turns between users (scheduling/fair-queue.ts): a user who queued
 * thirty runs gets one start per round, so another user's single run starts next, not last.
 * Workers are kept warm between jobs (loading TypeScript, the engine and DuckDB takes seconds);
 * cancelling a job terminates its worker, and a fresh one is started when next needed.
 */
import { Worker } from 'node:worker_threads';
import { FairQueue } from '../scheduling/fair-queue.ts';
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

interface PooledWorker {
  worker: Worker;
  job: PoolJob | null;
  /** Inside a native (DuckDB) call: terminating now would abort the whole process. */
  nativeBusy: boolean;
  /** Cancelled while native-busy: terminate as soon as the native call returns. */
  terminateWhenSafe: boolean;
  safe: Promise<void>;
  markSafe: () => void;
}

interface Running {
  job: PoolJob;
  slot: PooledWorker;
  settled: boolean;
}

const BOOT = new URL('./worker-boot.mjs', import.meta.url);
const ENTRY = new URL('./worker.ts', import.meta.url).href;

export class WorkerPool {
  private readonly queue = new FairQueue<PoolJob>();
  private readonly running = new Map<string, Running>();
  private readonly idle: PooledWorker[] = [];
  private closed = false;

  constructor(readonly size: number, readonly perUser: number) {}

  submit(job: PoolJob): void {
    if (this.closed) throw new Error('the run pool is closed');
    this.queue.push(job.userId, job);
    this.pump();
  }

  /** 'queued' | 'running' when found and stopped, undefined when the job is unknown (already finished). */
  cancel(id: string): 'queued' | 'running' | undefined {
    if (this.queue.remove((j) => j.id === id)) return 'queued';
    const entry = this.running.get(id);
    if (!entry) return undefined;
    entry.settled = true;
    this.running.delete(id);
    this.retire(entry.slot);
    this.pump();
    return 'running';
  }

  stats(): { running: number; queued: number; idleWorkers: number } {
    return { running: this.running.size, queued: this.queue.size, idleWorkers: this.idle.length };
  }

  /** Jobs of `userId` waiting for a worker. */
  waiting(userId: string): number {
    return this.queue.waiting(userId);
  }

  async close(): Promise<string[]> {
    this.closed = true;
    const stopped = [...this.running.keys(), ...this.queue.drain().map((j) => j.id)];
    const slots = [...this.running.values()].map((e) => {
      e.settled = true;
      return e.slot;
    });
    slots.push(...this.idle.splice(0));
    this.running.clear();
    // Wait (bounded) for native calls to return before terminating, or the process would abort.
    await Promise.allSettled(slots.map(async (slot) => {
      if (slot.nativeBusy) await Promise.race([slot.safe, new Promise((r) => setTimeout(r, 30_000))]);
      await slot.worker.terminate();
    }));
    return stopped;
  }

  private runningFor(userId: string): number {
    let count = 0;
    for (const { job } of this.running.values()) if (job.userId === userId) count += 1;
    return count;
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.size) {
      const next = this.queue.take((user) => this.runningFor(user), this.perUser);
      if (!next) return;
      this.start(next.item);
    }
  }

  private spawn(): PooledWorker {
    let markSafe = () => {};
    const safe = new Promise<void>((resolve) => (markSafe = resolve));
    const slot: PooledWorker = { worker: new Worker(BOOT, { workerData: { entry: ENTRY } }), job: null, nativeBusy: false, terminateWhenSafe: false, safe, markSafe };
    slot.worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    const end = (error: Error | null) => {
      const at = this.idle.indexOf(slot);
      if (at >= 0) this.idle.splice(at, 1);
      const job = slot.job;
      slot.job = null;
      const entry = job ? this.running.get(job.id) : undefined;
      if (!job || !entry || entry.slot !== slot || entry.settled) return;
      entry.settled = true;
      this.running.delete(job.id);
      job.onExit(error);
      this.pump();
    };
    slot.worker.on('error', (error: unknown) => end(error instanceof Error ? error : new Error(String(error))));
    slot.worker.on('exit', (code) => end(code === 0 ? null : new Error(`calculation worker exited with code ${code}`)));
    return slot;
  }

  private start(job: PoolJob): void {
    const slot = this.idle.pop() ?? this.spawn();
    slot.worker.ref();
    slot.job = job;
    // The worker's first step is a native dataset load, and its "native busy" message may still be
    // on its way when a cancel arrives: count it busy from now until it says otherwise, or a cancel
    // right after the start would terminate it inside DuckDB and abort the whole process.
    slot.nativeBusy = true;
    this.running.set(job.id, { job, slot, settled: false });
    job.onStart();
    slot.worker.postMessage(job.request);
  }

  /** Stops a worker for good: now, or when its native call returns. */
  private retire(slot: PooledWorker): void {
    slot.job = null;
    if (slot.nativeBusy) slot.terminateWhenSafe = true;
    else void slot.worker.terminate();
  }

  private onMessage(slot: PooledWorker, message: WorkerMessage): void {
    if (message.type === 'native') {
      slot.nativeBusy = message.busy;
      if (!message.busy) {
        slot.markSafe();
        const next = new Promise<void>((resolve) => (slot.markSafe = resolve));
        slot.safe = next;
        if (slot.terminateWhenSafe) void slot.worker.terminate();
      }
      return;
    }
    const job = slot.job;
    const entry = job ? this.running.get(job.id) : undefined;
    if (!job || !entry || entry.slot !== slot || entry.settled) return;
    if (message.type !== 'done' && message.type !== 'failed') {
      job.onMessage(message);
      return;
    }
    entry.settled = true;
    slot.job = null;
    if (this.closed) void slot.worker.terminate();
    else {
      // An idle worker must not keep a stopping process alive.
      slot.worker.unref();
      this.idle.push(slot);
    }
    void Promise.resolve(job.onMessage(message)).finally(() => {
      if (this.running.get(job.id) === entry) this.running.delete(job.id);
      this.pump();
    });
  }
}
