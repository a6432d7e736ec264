/**
 * The server's pool of worker threads for long jobs, so no user's calculation blocks the event
 * loop that serves everyone. Jobs are of registered kinds (`registerKind`): the engine run today
 * (runs/worker-pool.ts), a notebook's TypeScript cell next — a kind names its worker entry and
 * which of its messages end a job. At most `size` jobs run at once and at most `perUser` per user;
 * the rest wait, taking turns between users (scheduling/fair-queue.ts). Workers stay warm between
 * jobs of their kind (loading TypeScript, the engine and DuckDB takes seconds).
 *
 * Cancelling a job terminates its worker; a job whose worker crashes fails alone (`onExit` with the
 * error), and the next job of that kind gets a fresh worker. A worker inside a native call (it
 * posts `{type: 'native', busy}` around DuckDB calls) is terminated only once the call returns:
 * terminating inside one would abort the whole process.
 */
import { Worker } from 'node:worker_threads';
import { FairQueue } from '../scheduling/fair-queue.ts';
import type { WorkerStart } from '../runtime-paths.ts';

/** The message a worker posts around native calls; every kind may send it. */
export interface NativeMessage { type: 'native'; busy: boolean }

export interface JobKind<Message extends { type: string } = { type: string }> {
  name: string;
  /** The worker entry (runtime-paths.ts workerStart). */
  start: WorkerStart;
  /** Whether this message ends the job (its result or its failure). */
  isFinal(message: Message): boolean;
  /**
   * The job's first step is a native call (a DuckDB dataset load): the worker counts as inside it
   * from the moment it is given the job, since its `native` message may still be on its way when a
   * cancel arrives, and terminating it inside DuckDB would abort the whole process.
   */
  nativeAtStart?: boolean;
}

export interface Job<Request = unknown, Message extends { type: string } = { type: string }> {
  id: string;
  userId: string;
  kind: string;
  request: Request;
  onStart: () => void;
  /** A promise returned for the final message keeps the job's slot until it settles. */
  onMessage: (message: Message) => void | Promise<void>;
  /** Called once when the worker ends without a final message (crash or terminate). */
  onExit: (error: Error | null) => void;
  /** Overrides the kind's `nativeAtStart` for this job (a run's compute parts start in JavaScript, its load in DuckDB). */
  nativeAtStart?: boolean;
  /** The next step of work already started (a run's next stage): it waits ahead of its user's other jobs. */
  continues?: boolean;
}

export interface PoolLimits {
  /** Jobs running at once (worker threads busy). */
  size: number;
  /** Jobs one user may have running at once. */
  perUser: number;
}

interface PooledWorker {
  kind: string;
  worker: Worker;
  job: Job<unknown, { type: string }> | null;
  nativeBusy: boolean;
  terminateWhenSafe: boolean;
  safe: Promise<void>;
  markSafe: () => void;
}

interface Running {
  job: Job<unknown, { type: string }>;
  slot: PooledWorker;
  settled: boolean;
}

export class JobPool {
  private readonly kinds = new Map<string, JobKind<{ type: string }>>();
  private readonly queue = new FairQueue<Job<unknown, { type: string }>>();
  private readonly running = new Map<string, Running>();
  private readonly idle: PooledWorker[] = [];
  private closed = false;

  constructor(readonly limits: PoolLimits) {
    if (!Number.isInteger(limits.size) || limits.size < 1 || !Number.isInteger(limits.perUser) || limits.perUser < 1) {
      throw new Error(`worker pool sizes must be whole numbers of 1 or more (size ${limits.size}, perUser ${limits.perUser})`);
    }
  }

  registerKind<M extends { type: string }>(kind: JobKind<M>): void {
    if (this.kinds.has(kind.name)) throw new Error(`job kind "${kind.name}" is already registered`);
    this.kinds.set(kind.name, kind as unknown as JobKind<{ type: string }>);
  }

  submit<R, M extends { type: string }>(job: Job<R, M>): void {
    if (this.closed) throw new Error('the worker pool is closed');
    if (!this.kinds.has(job.kind)) throw new Error(`no job kind "${job.kind}" is registered; known: ${[...this.kinds.keys()].join(', ')}`);
    this.queue.push(job.userId, job as unknown as Job<unknown, { type: string }>, job.continues === true);
    this.pump();
  }

  /**
   * Starts up to `count` workers of a kind now, idle, so its first jobs do not wait for a worker
   * to boot (seconds: TypeScript, the engine, DuckDB). Idle workers of every kind stay within `size`.
   */
  prewarm(kindName: string, count: number): void {
    const kind = this.kinds.get(kindName);
    if (!kind) throw new Error(`no job kind "${kindName}" is registered; known: ${[...this.kinds.keys()].join(', ')}`);
    let warm = this.idle.filter((w) => w.kind === kindName).length;
    while (!this.closed && warm < count && this.idle.length < this.limits.size) {
      const slot = this.spawn(kind);
      slot.worker.unref(); // an idle worker must not keep a stopping process alive
      this.idle.push(slot);
      warm += 1;
    }
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

  /** Stops every job and worker; answers the ids of the jobs that were running or waiting. */
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
    while (!this.closed && this.running.size < this.limits.size) {
      const next = this.queue.take((user) => this.runningFor(user), this.limits.perUser);
      if (!next) return;
      this.start(next.item);
    }
  }

  private spawn(kind: JobKind<{ type: string }>): PooledWorker {
    let markSafe = () => {};
    const safe = new Promise<void>((resolve) => (markSafe = resolve));
    const worker = new Worker(kind.start.file, { workerData: { entry: kind.start.entry } });
    const slot: PooledWorker = { kind: kind.name, worker, job: null, nativeBusy: false, terminateWhenSafe: false, safe, markSafe };
    worker.on('message', (message: { type: string }) => this.onMessage(slot, message));
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
    worker.on('error', (error: unknown) => end(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => end(code === 0 ? null : new Error(`${kind.name} worker exited with code ${code}`)));
    return slot;
  }

  private start(job: Job<unknown, { type: string }>): void {
    const kind = this.kinds.get(job.kind)!;
    const at = this.idle.findIndex((w) => w.kind === job.kind);
    const slot = at >= 0 ? this.idle.splice(at, 1)[0]! : this.spawn(kind);
    slot.worker.ref();
    slot.job = job;
    if (job.nativeAtStart ?? kind.nativeAtStart) slot.nativeBusy = true;
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

  private onMessage(slot: PooledWorker, message: { type: string }): void {
    if (message.type === 'native') {
      const busy = (message as NativeMessage).busy;
      slot.nativeBusy = busy;
      if (!busy) {
        slot.markSafe();
        slot.safe = new Promise<void>((resolve) => (slot.markSafe = resolve));
        if (slot.terminateWhenSafe) void slot.worker.terminate();
      }
      return;
    }
    const job = slot.job;
    const entry = job ? this.running.get(job.id) : undefined;
    if (!job || !entry || entry.slot !== slot || entry.settled) return;
    if (!this.kinds.get(slot.kind)!.isFinal(message)) {
      void job.onMessage(message);
      return;
    }
    entry.settled = true;
    slot.job = null;
    if (this.closed) void slot.worker.terminate();
    else {
      // An idle worker must not keep a stopping process alive.
      slot.worker.unref();
      this.idle.push(slot);
      // Warm workers of several kinds: keep at most `size` of them, the longest idle goes first.
      if (this.idle.length > this.limits.size) void this.idle.shift()!.worker.terminate();
    }
    void Promise.resolve(job.onMessage(message)).finally(() => {
      if (this.running.get(job.id) === entry) this.running.delete(job.id);
      this.pump();
    });
  }
}
