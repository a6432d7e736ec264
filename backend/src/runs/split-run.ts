/**
 * One calculation over the worker pool: the dataset's shared columns (shared-dataset.ts) cut into
 * parts of equal estimated work (the engine's balancedCut), each part computed by a worker at once
 * (analysePartial), the partials summed and summarised by one more job (mergeAnalyses), which also
 * writes the result tables — once, after the merge. A run of one part is a single `whole` job.
 *
 * Why the shared-columns split and not a split by rows (each worker loading its own rows): a
 * cached dataset is already in memory, shared, in the order the engine visits it, so a part costs
 * its computation only; the partials are a few sums per group and scenario. The sums differ from
 * a single-thread run by summation order only (≤ 1e-9 relative: split-run.test.ts).
 *
 * Every job of a run goes through a RunJobs handle: `stop()` cancels all of them at once (and
 * any not yet submitted never is), a failing part stops its siblings and fails the run with its
 * message. Usable outside the server (a CLI): `runSplit(runJobs(pool, id, user), shareDataset(columns), settings, { parts: 2 })`.
 */
import { balancedCut, parseIsoDate, type AnalysisResult } from '@almready/engine';
import type { RunSummary } from '@almready/contracts';
import type { RunSettings } from './settings.ts';
import type { SharedDataset } from './shared-dataset.ts';
import type { PoolJob } from './worker-pool.ts';
import type { JobTimes, WorkerMessage, WorkerRequest } from './worker-protocol.ts';

/** What a run needs of the pool (runs/worker-pool.ts WorkerPool). */
export interface JobSubmitter {
  submit(job: PoolJob): void;
  cancel(id: string): unknown;
}

/** The run was stopped (cancelled, or the server closes): not a failure to report. */
export class RunStopped extends Error {
  override name = 'RunStopped';
}

/** A job ended with `failed`: its message is the user's sentence. */
export class RunFailed extends Error {
  override name = 'RunFailed';
}

/** A worker crashed or ended without answering. */
export class RunCrashed extends Error {
  override name = 'RunCrashed';
  constructor(message: string, readonly crash: Error | null) {
    super(message);
  }
}

type Final<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>;

export interface RunJobsHooks {
  /** once, when the run's first job gets a worker */
  onStart?: () => void;
  onProgress?: (phase: string, fraction: number) => void;
  /**
   * Keep the worker slot of the run's last finished job until its next job is submitted or
   * `release()` / `stop()` is called, so that between two stages (and until the outcome is
   * recorded) the run does not give its turn to the user's next waiting run. Later jobs of a run
   * wait ahead of the user's other jobs. Who sets this must call `release()` when done.
   */
  holdSlots?: boolean;
}

/** One run's jobs on the pool, so that all of them stop together. */
export class RunJobs {
  private readonly live = new Map<string, (error: Error) => void>();
  private stoppedWith: Error | undefined;
  private started = false;
  private submittedAny = false;
  private held: (() => void) | undefined;
  /** each finished job's times by name (load, whole, part-0, …, merge): logged with the run */
  readonly times: Record<string, JobTimes> = {};

  constructor(readonly pool: JobSubmitter, readonly runId: string, readonly userId: string, readonly hooks: RunJobsHooks = {}) {}

  get stopped(): boolean {
    return this.stoppedWith !== undefined;
  }

  /** Submits one job (id `<run>:<name>`); resolves with its final message of type `expect`. */
  job<T extends 'loaded' | 'partial' | 'done'>(name: string, request: WorkerRequest, expect: T, onProgress?: (phase: string, fraction: number) => void): Promise<Final<T>> {
    if (this.stoppedWith) return Promise.reject(this.stoppedWith);
    const id = `${this.runId}:${name}`;
    const continues = this.submittedAny;
    this.submittedAny = true;
    return new Promise<Final<T>>((resolve, reject) => {
      const settle = (action: () => void) => {
        if (!this.live.delete(id)) return;
        action();
      };
      this.live.set(id, (error) => settle(() => reject(error)));
      this.pool.submit({
        id,
        userId: this.userId,
        request,
        continues,
        // only loading starts inside DuckDB; computing starts in JavaScript and can be stopped at once
        nativeAtStart: request.type === 'load',
        onStart: () => {
          if (this.started) return;
          this.started = true;
          this.hooks.onStart?.();
        },
        onMessage: (message: WorkerMessage) => {
          if (message.type === 'progress') (onProgress ?? this.hooks.onProgress)?.(message.phase, message.fraction);
          else if (message.type === 'failed') settle(() => reject(new RunFailed(message.message)));
          else if (message.type === expect) {
            const times = (message as { times?: JobTimes }).times;
            if (times) this.times[name] = times;
            settle(() => resolve(message as Final<T>));
            // the run's last live job: its slot waits for the run's next step (holdSlots)
            if (this.hooks.holdSlots && this.live.size === 0 && !this.stoppedWith) return this.hold();
          }
          else if (message.type !== 'native') settle(() => reject(new RunCrashed(`The calculation answered ${message.type} where ${expect} was expected.`, null)));
        },
        onExit: (error) => settle(() => reject(new RunCrashed(error ? `The calculation stopped unexpectedly: ${error.message}` : 'The calculation ended without a result.', error))),
      });
      // queued (ahead of the user's other jobs): the previous stage's slot may go now
      this.release();
    });
  }

  /** The held slot's release: on the next submitted job (after it is queued), release() or stop(). */
  private hold(): Promise<void> {
    this.held?.();
    return new Promise<void>((resolve) => (this.held = resolve));
  }

  /** Gives back a held slot (the run's outcome is recorded, or it submits nothing more). */
  release(): void {
    const held = this.held;
    this.held = undefined;
    held?.();
  }

  /** Cancels every job of the run still queued or running; later `job` calls fail with `reason`. */
  stop(reason: Error = new RunStopped('the run was stopped')): void {
    this.release();
    this.stoppedWith ??= reason;
    for (const [id, fail] of [...this.live]) {
      this.pool.cancel(id);
      fail(this.stoppedWith);
    }
  }
}

export interface SplitOptions {
  /** parts to cut the book into (1: one `whole` job) */
  parts: number;
  /** the run's folder: the ending job writes the result tables there; without it the result comes back */
  outDir?: string;
  /** Date.now() when the run was asked for: the summary's elapsedMs counts from here */
  startedAt?: number;
}

export interface SplitOutcome {
  summary: RunSummary;
  /** only without `outDir` */
  result?: AnalysisResult;
  /** the cuts over the book's (locality) order: [0, …, n] */
  cuts: number[];
}

const PHASES = ['market', 'eve', 'nii', 'gap'];

/**
 * The run's progress over all parts: per phase, the mean of the parts' fractions (a part past
 * the phase counts 1, one before it 0), never going back.
 */
function progressOverParts(parts: number, report: (phase: string, fraction: number) => void): (part: number) => (phase: string, fraction: number) => void {
  const at = Array.from({ length: parts }, () => ({ phase: -1, fraction: 0 }));
  const best = new Map<string, number>();
  return (part) => (phase, fraction) => {
    const index = PHASES.indexOf(phase);
    if (index < 0) return;
    at[part] = { phase: index, fraction };
    const overall = at.reduce((sum, p) => sum + (p.phase > index ? 1 : p.phase === index ? p.fraction : 0), 0) / parts;
    if (overall < (best.get(phase) ?? -1)) return;
    best.set(phase, overall);
    report(phase, Math.min(1, overall));
  };
}

/** The run on `dataset` over `options.parts` workers (see the file's comment). */
export async function runSplit(jobs: RunJobs, dataset: SharedDataset, settings: RunSettings, options: SplitOptions): Promise<SplitOutcome> {
  const n = dataset.positions.length;
  const startedAt = options.startedAt ?? Date.now();
  const outDir = options.outDir === undefined ? {} : { outDir: options.outDir };
  const parts = Math.max(1, Math.min(Math.floor(options.parts), n));
  if (parts === 1) {
    const done = await jobs.job('whole', { type: 'whole', runId: jobs.runId, dataset, settings, startedAt, ...outDir }, 'done');
    return { summary: done.summary, ...(done.result ? { result: done.result } : {}), cuts: [0, n] };
  }
  const asOf = parseIsoDate(dataset.asOf);
  if (asOf === undefined) throw new RunFailed(`The dataset's as-of date ${dataset.asOf} is not a date.`);
  const cuts = balancedCut(dataset.positions, asOf, parts, { pass: 'run', scenarios: settings.scenarios.length, horizonMonths: settings.niiHorizonMonths });
  const report = progressOverParts(parts, (phase, fraction) => jobs.hooks.onProgress?.(phase, fraction));
  let partials;
  try {
    partials = await Promise.all(cuts.slice(0, -1).map((from, k) => jobs
      .job(`part-${k}`, { type: 'part', runId: jobs.runId, dataset, settings, from, to: cuts[k + 1] as number }, 'partial', report(k))
      .then((message) => message.partial)));
  } catch (error) {
    // the first failing part stops the others
    jobs.stop(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  const done = await jobs.job('merge', { type: 'merge', runId: jobs.runId, dataset, settings, partials, startedAt, ...outDir }, 'done');
  return { summary: done.summary, ...(done.result ? { result: done.result } : {}), cuts };
}

/** The dataset at `datasetDir` loaded by a worker into shared columns (one `load` job). */
export async function loadShared(jobs: RunJobs, datasetDir: string): Promise<{ dataset: SharedDataset; loadMs: number }> {
  const loaded = await jobs.job('load', { type: 'load', runId: jobs.runId, datasetDir }, 'loaded');
  return { dataset: loaded.dataset, loadMs: loaded.loadMs };
}
