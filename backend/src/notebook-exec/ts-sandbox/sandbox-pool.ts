/**
 * The server's warm sandbox workers. Starting one (Node, TypeScript, the QuickJS wasm) takes
 * seconds on a busy machine, so the pool keeps `ready` of them started ahead: an execution's
 * sandbox takes one at once and the pool starts the next in the background.
 *
 * A worker goes from one execution to another — another user's, another workspace's — only
 * because nothing of a cell survives it: each cell runs in a new QuickJS instance over a new
 * memory (worker.ts), its host calls are answered only while it runs, and run ids and host-call
 * sequence numbers are the worker's, so a late message of an earlier cell matches nothing
 * (sandbox-pool.test.ts tries it). A worker that was terminated (a cell past its wall time, a
 * cancel, a crash, the memory of the thread itself) is never given back: its sandbox takes
 * another. Workers beyond `ready` that come back stay a while for the next execution, then stop.
 */
import type { TsCellLimits } from '../../config.ts';
import type { SandboxWorkers } from './sandbox.ts';
import { SandboxWorker } from './sandbox-worker.ts';

/** How long a worker beyond the `ready` ones waits for an execution before it stops. */
export const SURPLUS_IDLE_MS = 30_000;

export interface SandboxPoolOptions {
  limits: TsCellLimits;
  /** workers kept started and idle (0: each execution starts its own when its first ts cell runs) */
  ready: number;
  log?: (message: string, error?: unknown) => void;
  surplusIdleMs?: number;
}

export class SandboxPool implements SandboxWorkers {
  readonly limits: TsCellLimits;
  readonly ready: number;
  /** idle workers, booted or booting; the last given back first */
  private readonly idle: SandboxWorker[] = [];
  private readonly surplusIdleMs: number;
  private readonly log: (message: string, error?: unknown) => void;
  private trim: NodeJS.Timeout | null = null;
  private closed = false;
  /** workers this pool has started */
  started = 0;
  /** workers handed to sandboxes, and given back */
  taken = 0;
  givenBack = 0;

  constructor(options: SandboxPoolOptions) {
    if (!Number.isInteger(options.ready) || options.ready < 0) throw new Error(`the sandbox pool keeps a whole number of workers ready, 0 or more (not ${options.ready})`);
    this.limits = options.limits;
    this.ready = options.ready;
    this.surplusIdleMs = options.surplusIdleMs ?? SURPLUS_IDLE_MS;
    this.log = options.log ?? (() => undefined);
    this.fill();
  }

  take(): SandboxWorker {
    if (this.closed) throw new Error('the sandbox pool is closed');
    let at = this.idle.findLastIndex((w) => w.booted && !w.ended);
    if (at < 0) at = this.idle.findLastIndex((w) => !w.ended);
    const worker = at >= 0 ? this.idle.splice(at, 1)[0]! : this.spawn();
    this.taken += 1;
    this.fill();
    return worker;
  }

  give(worker: SandboxWorker): void {
    if (this.closed || worker.ended || worker.limits !== this.limits) {
      void worker.terminate();
      return;
    }
    this.givenBack += 1;
    this.idle.push(worker);
    if (this.idle.length > this.ready) this.scheduleTrim();
  }

  /** Idle workers now (booted or booting). */
  idleWorkers(): number {
    return this.idle.length;
  }

  /** Resolves once every idle worker has booted (tests, bench); a failed boot is logged, not thrown. */
  async whenReady(): Promise<void> {
    await Promise.all(this.idle.map((w) => w.ready.catch(() => undefined)));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.trim) clearTimeout(this.trim);
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }

  private fill(): void {
    while (!this.closed && this.idle.length < this.ready) this.idle.push(this.spawn());
  }

  private spawn(): SandboxWorker {
    const worker = new SandboxWorker(this.limits);
    this.started += 1;
    // a worker stopped by close() while it booted did not fail: only a start that failed on its own is worth a warning
    worker.ready.catch((error: unknown) => { if (!this.closed) this.log('a ts sandbox worker did not start', error); });
    worker.onEnd(() => {
      const at = this.idle.indexOf(worker);
      if (at < 0) return;
      this.idle.splice(at, 1);
      // an idle worker that had started and died is replaced; one that could not start is not
      // retried in a loop (the next execution starts one and reports the failure)
      if (worker.booted) this.fill();
    });
    return worker;
  }

  /** Stops the longest idle workers beyond `ready` once they have waited `surplusIdleMs`. */
  private scheduleTrim(): void {
    if (this.trim) clearTimeout(this.trim);
    this.trim = setTimeout(() => {
      this.trim = null;
      while (this.idle.length > this.ready) void this.idle.shift()!.terminate();
    }, this.surplusIdleMs);
    this.trim.unref();
  }
}
