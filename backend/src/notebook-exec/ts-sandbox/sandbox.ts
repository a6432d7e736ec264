/**
 * The server side of the TypeScript cell sandbox: one worker thread holding a warm QuickJS module,
 * running cells one at a time, and answering their `alm` calls from the host port. A cell that
 * breaks a limit ends with an error and the worker goes on; a worker that stops answering (past
 * the wall time plus a grace period) or dies is terminated and replaced, and the cell reports it.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { DEFAULT_TS_CELL_LIMITS, type TsCellLimits } from '../../config.ts';
import type { AlmHost } from './alm-host.ts';
import type { CellResult, CellValue } from './cell-result.ts';
import { collectTableIds, HostDispatcher } from './host-dispatch.ts';
import type { FromWorker, HostReply, ToWorker } from './protocol.ts';
import { workerStart } from '../../runtime-paths.ts';

const START = workerStart(new URL('./worker.ts', import.meta.url), 'ts-cell-worker');
/** Past the wall time, how long the worker may take to stop by itself before it is terminated. */
export const TERMINATE_GRACE_MS = 3_000;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(['alm', 'console', 'globalThis', '__almThrow', 'undefined', 'NaN', 'Infinity']);

export interface CellRun {
  source: string;
  /** other cells' outputs this cell reads, by name */
  inputs?: Record<string, CellValue>;
}

interface Live {
  worker: Worker;
  replies: MessagePort;
  signal: Int32Array;
  ready: Promise<void>;
}

interface Current {
  runId: number;
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
  private live: Live | null = null;
  private current: Current | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private nextRunId = 1;
  private closed = false;
  /** workers started so far (1 + replacements) */
  workersStarted = 0;

  constructor(
    readonly limits: TsCellLimits = DEFAULT_TS_CELL_LIMITS,
    private readonly log: (message: string, error?: unknown) => void = () => undefined,
    /** past the wall time, how long before the worker is terminated (tests shorten it) */
    private readonly terminateGraceMs = TERMINATE_GRACE_MS,
  ) {}

  /** Starts the worker now rather than on the first cell (module + compiler load once). */
  warm(): Promise<void> {
    return this.ensureWorker().ready;
  }

  run(cell: CellRun, host: AlmHost): Promise<CellResult> {
    const next = this.tail.then(() => this.runNow(cell, host));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /**
   * Stops the running cell now by terminating its worker (a cell inside one long native call
   * cannot be interrupted any other way); queued cells then run in a fresh worker.
   * false when no cell was running.
   */
  cancel(): boolean {
    const current = this.current;
    const live = this.live;
    if (!current || !live) return false;
    current.stopped = { ok: false, error: { kind: 'cancelled', message: 'the cell was cancelled' }, console: [], displays: [], timing: null };
    void live.worker.terminate();
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const live = this.live;
    this.live = null;
    if (this.current) this.current.stopped = { ok: false, error: { kind: 'cancelled', message: 'the sandbox was closed (server stopping)' }, console: [], displays: [], timing: null };
    if (live) await live.worker.terminate();
  }

  private ensureWorker(): Live {
    if (this.closed) throw new Error('the ts sandbox is closed');
    if (this.live) return this.live;
    const channel = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    // The V8 stack must be deeper than QuickJS's own limit, or wasm overflows it first and the worker dies.
    const worker = new Worker(START.file, { workerData: { entry: START.entry }, resourceLimits: { stackSizeMb: Math.max(8, Math.ceil(this.limits.stackKb / 1024) * 4), maxOldGenerationSizeMb: 512 } });
    this.workersStarted += 1;
    let markReady: () => void = () => undefined;
    let markFailed: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)));
    ready.catch(() => undefined);
    const live: Live = { worker, replies: channel.port1, signal, ready };
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        markReady();
        if (!this.current) worker.unref(); // an idle sandbox must not keep a stopping process alive
      }
      else if (message.type === 'host-call') void this.onHostCall(live, message);
      else if (message.type === 'result') this.settle(message.runId, message.result);
    });
    const ended = (error: Error | null) => {
      if (this.live === live) this.live = null;
      markFailed(error ?? new Error('the ts sandbox worker stopped'));
      const current = this.current;
      if (!current) return;
      const crash = error?.message.includes('ERR_WORKER_OUT_OF_MEMORY') || (error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? { kind: 'memory' as const, message: 'the cell used more memory than the sandbox allows' }
        : { kind: 'crashed' as const, message: `the sandbox stopped unexpectedly${error ? `: ${error.message}` : ''}; run the cell again` };
      this.settle(current.runId, current.stopped ?? { ok: false, error: crash, console: [], displays: [], timing: null });
    };
    worker.on('error', (error: unknown) => ended(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', () => ended(null));
    const init: ToWorker = { type: 'init', signal: signal.buffer as SharedArrayBuffer, replies: channel.port2, limits: this.limits };
    worker.postMessage(init, [channel.port2]);
    this.live = live;
    return live;
  }

  private async runNow(cell: CellRun, host: AlmHost): Promise<CellResult> {
    const inputs = cell.inputs ?? {};
    for (const name of Object.keys(inputs)) {
      if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
        return { ok: false, error: { kind: 'runtime', message: `input "${name}" cannot be a global of a cell; rename that output` }, console: [], displays: [], timing: null };
      }
    }
    const live = this.ensureWorker();
    try {
      await live.ready;
    } catch (error) {
      return { ok: false, error: { kind: 'crashed', message: `the sandbox could not start: ${error instanceof Error ? error.message : String(error)}` }, console: [], displays: [], timing: null };
    }
    const runId = this.nextRunId++;
    const dispatcher = new HostDispatcher(host, this.limits.maxHostCalls, (error, op) => this.log(`alm.${op} failed on the host`, error));
    collectTableIds(inputs, dispatcher.issued);
    live.worker.ref();
    return new Promise<CellResult>((resolve) => {
      const watchdog = setTimeout(() => {
        if (this.current?.runId !== runId) return;
        this.current.stopped = { ok: false, error: { kind: 'timeout', message: `the cell ran longer than ${this.limits.wallMs / 1000} s and was stopped` }, console: [], displays: [], timing: null };
        void live.worker.terminate();
      }, this.limits.wallMs + this.terminateGraceMs);
      this.current = {
        runId,
        dispatcher,
        stopped: null,
        resolve: (result) => {
          clearTimeout(watchdog);
          live.worker.unref();
          resolve(onlyIssuedTables(result, dispatcher.issued));
        },
      };
      const request: ToWorker = { type: 'run', runId, source: cell.source, inputs: JSON.stringify(inputs), limits: this.limits };
      live.worker.postMessage(request);
    });
  }

  private settle(runId: number, result: CellResult): void {
    const current = this.current;
    if (!current || current.runId !== runId) return;
    this.current = null;
    current.resolve(result);
  }

  private async onHostCall(live: Live, message: Extract<FromWorker, { type: 'host-call' }>): Promise<void> {
    const current = this.current;
    const reply: HostReply = current && current.runId === message.runId
      ? { seq: message.seq, ...(await current.dispatcher.dispatch(message.op, message.payload)) }
      : { seq: message.seq, ok: false, message: 'this cell run is over' };
    live.replies.postMessage(reply);
    Atomics.store(live.signal, 0, 1);
    Atomics.notify(live.signal, 0);
  }
}
