/**
 * The server side of the TypeScript cell sandbox, one per execution: runs its cells one at a time
 * in a worker thread (sandbox-worker.ts: a warm QuickJS module, a new instance per cell), and
 * answers their `alm` calls from the host port. The worker comes from a source: the server's pool
 * of warm workers (sandbox-pool.ts), or one started for this sandbox alone. A cell that breaks a
 * limit ends with an error and the worker goes on; a worker that stops answering (past the wall
 * time plus a grace period) or dies is terminated and replaced, and the cell reports it. On
 * close a healthy worker goes back to its source; a terminated one never does.
 */
import { DEFAULT_TS_CELL_LIMITS, type TsCellLimits } from '../../config.ts';
import type { AlmHost } from './alm-host.ts';
import type { CellResult, CellValue } from './cell-result.ts';
import { collectTableIds, HostDispatcher } from './host-dispatch.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { SandboxWorker, type WorkerOwner } from './sandbox-worker.ts';

/** Past the wall time, how long the worker may take to stop by itself before it is terminated. */
export const TERMINATE_GRACE_MS = 3_000;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(['alm', 'console', 'globalThis', '__almThrow', 'undefined', 'NaN', 'Infinity']);

export interface CellRun {
  source: string;
  /** other cells' outputs this cell reads, by name */
  inputs?: Record<string, CellValue>;
}

/** Where a sandbox gets its workers, and gives back the ones it no longer needs. */
export interface SandboxWorkers {
  readonly limits: TsCellLimits;
  /** a worker for one sandbox (ready, or still starting) */
  take(): SandboxWorker;
  /** a worker its sandbox is done with: alive, no cell running */
  give(worker: SandboxWorker): void;
}

/** A worker started for one sandbox, stopped when it gives it back. */
export class OwnWorkers implements SandboxWorkers {
  constructor(readonly limits: TsCellLimits) {}
  take(): SandboxWorker {
    return new SandboxWorker(this.limits);
  }
  give(worker: SandboxWorker): void {
    void worker.terminate();
  }
}

interface Current {
  runId: number;
  worker: SandboxWorker;
  dispatcher: HostDispatcher;
  resolve: (result: CellResult) => void;
  /** why the worker was terminated, when we did it */
  stopped: CellResult | null;
}

/**
 * A cell can only export or display tables it was handed (inputs, alm.sql, alm.table, alm.run):
 * a table id it made up — another workspace's result, say — fails the cell here.
 */
export function onlyIssuedTables(result: CellResult, issued: ReadonlySet<string>): CellResult {
  if (!result.ok) return result;
  const used = new Set<string>();
  collectTableIds(result.outputs, used);
  collectTableIds(result.displays, used);
  const foreign = [...used].find((id) => !issued.has(id));
  if (foreign === undefined) return result;
  return { ok: false, error: { kind: 'export', message: `the cell refers to table "${foreign}", which it was never given` }, console: result.console, displays: [], timing: result.timing };
}

export class TsSandbox {
  private live: { worker: SandboxWorker; owner: WorkerOwner } | null = null;
  private current: Current | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly workers: SandboxWorkers;
  /** the limits its cells run under (the pool's, on a pool) */
  readonly limits: TsCellLimits;
  /** workers this sandbox has had so far (1 + replacements) */
  workersStarted = 0;

  constructor(
    limits: TsCellLimits = DEFAULT_TS_CELL_LIMITS,
    private readonly log: (message: string, error?: unknown) => void = () => undefined,
    /** past the wall time, how long before the worker is terminated (tests shorten it) */
    private readonly terminateGraceMs = TERMINATE_GRACE_MS,
    /** the server's pool (whose limits then apply: its workers enforce them); by default a worker of this sandbox's own */
    workers?: SandboxWorkers,
  ) {
    this.workers = workers ?? new OwnWorkers(limits);
    this.limits = this.workers.limits;
  }

  /** The worker this sandbox holds now (null before its first cell and after close). */
  get worker(): SandboxWorker | null {
    return this.live?.worker ?? null;
  }

  /** Takes the worker now rather than on the first cell, and waits until it is ready. */
  warm(): Promise<void> {
    return this.ensureWorker().worker.ready;
  }

  run(cell: CellRun, host: AlmHost): Promise<CellResult> {
    const next = this.tail.then(() => this.runNow(cell, host));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /**
   * Stops the running cell now by terminating its worker (a cell inside one long native call
   * cannot be interrupted any other way); queued cells then run in another worker.
   * false when no cell was running.
   */
  cancel(): boolean {
    const current = this.current;
    const live = this.live;
    if (!current || !live) return false;
    current.stopped = { ok: false, error: { kind: 'cancelled', message: 'the cell was cancelled' }, console: [], displays: [], timing: null };
    this.stop(live);
    return true;
  }

  /** Ends the sandbox: a running cell is cancelled (its worker terminated); an idle worker goes back to its source. */
  async close(): Promise<void> {
    this.closed = true;
    const live = this.live;
    if (!live) return;
    if (this.current) {
      this.current.stopped = { ok: false, error: { kind: 'cancelled', message: 'the sandbox was closed (server stopping)' }, console: [], displays: [], timing: null };
      await this.stop(live);
      return;
    }
    this.live = null;
    live.worker.release(live.owner);
    this.workers.give(live.worker);
  }

  /** Terminates the worker: it is never given back, the next cell takes another. */
  private stop(live: { worker: SandboxWorker }): Promise<void> {
    if (this.live === live) this.live = null;
    return live.worker.terminate();
  }

  private ensureWorker(): { worker: SandboxWorker; owner: WorkerOwner } {
    if (this.closed) throw new Error('the ts sandbox is closed');
    if (this.live) return this.live;
    const worker = this.workers.take();
    this.workersStarted += 1;
    const owner: WorkerOwner = {
      message: (message) => {
        if (message.type === 'host-call') void this.onHostCall(worker, message);
        else if (message.type === 'result') this.settle(message.runId, message.result);
      },
      ended: (error) => {
        if (this.live?.worker === worker) this.live = null;
        const current = this.current;
        if (!current || current.worker !== worker) return;
        const crash = error?.message.includes('ERR_WORKER_OUT_OF_MEMORY') || (error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { kind: 'memory' as const, message: 'the cell used more memory than the sandbox allows' }
          : { kind: 'crashed' as const, message: `the sandbox stopped unexpectedly${error ? `: ${error.message}` : ''}; run the cell again` };
        this.settle(current.runId, current.stopped ?? { ok: false, error: crash, console: [], displays: [], timing: null });
      },
    };
    worker.adopt(owner);
    this.live = { worker, owner };
    return this.live;
  }

  private async runNow(cell: CellRun, host: AlmHost): Promise<CellResult> {
    const inputs = cell.inputs ?? {};
    for (const name of Object.keys(inputs)) {
      if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
        return { ok: false, error: { kind: 'runtime', message: `input "${name}" cannot be a global of a cell; rename that output` }, console: [], displays: [], timing: null };
      }
    }
    if (this.closed) return { ok: false, error: { kind: 'cancelled', message: 'the sandbox was closed (server stopping)' }, console: [], displays: [], timing: null };
    const live = this.ensureWorker();
    const { worker } = live;
    try {
      await worker.ready;
    } catch (error) {
      if (this.live === live) this.live = null;
      return { ok: false, error: { kind: 'crashed', message: `the sandbox could not start: ${error instanceof Error ? error.message : String(error)}` }, console: [], displays: [], timing: null };
    }
    if (worker.ended) {
      if (this.live === live) this.live = null;
      return { ok: false, error: { kind: 'crashed', message: 'the sandbox stopped before the cell started; run the cell again' }, console: [], displays: [], timing: null };
    }
    const runId = worker.newRunId();
    const dispatcher = new HostDispatcher(host, this.limits.maxHostCalls, (error, op) => this.log(`alm.${op} failed on the host`, error));
    collectTableIds(inputs, dispatcher.issued);
    worker.busy(true);
    return new Promise<CellResult>((resolve) => {
      const watchdog = setTimeout(() => {
        if (this.current?.runId !== runId || this.current.worker !== worker) return;
        this.current.stopped = { ok: false, error: { kind: 'timeout', message: `the cell ran longer than ${this.limits.wallMs / 1000} s and was stopped` }, console: [], displays: [], timing: null };
        void this.stop(live);
      }, this.limits.wallMs + this.terminateGraceMs);
      this.current = {
        runId,
        worker,
        dispatcher,
        stopped: null,
        resolve: (result) => {
          clearTimeout(watchdog);
          worker.busy(false);
          resolve(onlyIssuedTables(result, dispatcher.issued));
        },
      };
      const request: ToWorker = { type: 'run', runId, source: cell.source, inputs: JSON.stringify(inputs), limits: this.limits };
      worker.post(request);
    });
  }

  private settle(runId: number, result: CellResult): void {
    const current = this.current;
    if (!current || current.runId !== runId) return;
    this.current = null;
    current.resolve(result);
  }

  private async onHostCall(worker: SandboxWorker, message: Extract<FromWorker, { type: 'host-call' }>): Promise<void> {
    const current = this.current;
    const mine = current !== null && current.worker === worker && current.runId === message.runId;
    const answer = mine ? await current.dispatcher.dispatch(message.op, message.payload) : { ok: false as const, message: 'this cell run is over' };
    worker.reply({ seq: message.seq, ...answer });
  }
}
