/**
 * The calculation runs' use of the server's worker pool (workers/pool.ts): job kind `run`, whose
 * worker (runs/worker.ts) loads a dataset (ends with `loaded`), computes a run or a part of one
 * (`done`, `partial`) or merges parts (`done`), or fails (`failed`). A run is one or more such
 * jobs (split-run.ts). The pool takes care of the fair queue between users, the per-user limit,
 * cancellation and crashed workers.
 */
import { JobPool, type Job, type JobKind } from '../workers/pool.ts';
import type { WorkerRequest, WorkerMessage } from './worker-protocol.ts';
import { workerStart } from '../runtime-paths.ts';

export type PoolJob = Omit<Job<WorkerRequest, WorkerMessage>, 'kind'>;

export const RUN_JOB: JobKind<WorkerMessage> = {
  name: 'run',
  start: workerStart(new URL('./worker.ts', import.meta.url), 'run-worker'),
  isFinal: (message) => message.type === 'done' || message.type === 'failed' || message.type === 'loaded' || message.type === 'partial',
  // a `load` job's first step is DuckDB; the compute jobs say otherwise per job (split-run.ts)
  nativeAtStart: true,
};

export class WorkerPool {
  readonly jobs: JobPool;

  /** A pool of its own; or, given `shared`, the run kind on a pool other kinds use too. */
  constructor(readonly size: number, readonly perUser: number, shared?: JobPool) {
    this.jobs = shared ?? new JobPool({ size, perUser });
    this.jobs.registerKind(RUN_JOB);
  }

  submit(job: PoolJob): void {
    this.jobs.submit({ ...job, kind: RUN_JOB.name });
  }

  cancel(id: string): 'queued' | 'running' | undefined {
    return this.jobs.cancel(id);
  }

  stats(): { running: number; queued: number; idleWorkers: number } {
    return this.jobs.stats();
  }

  waiting(userId: string): number {
    return this.jobs.waiting(userId);
  }

  close(): Promise<string[]> {
    return this.jobs.close();
  }
}
