/**
 * One sandbox worker thread and its channel: started with the limits it enforces, ready once
 * TypeScript and QuickJS are loaded. It runs cells for one owner at a time (a TsSandbox, for one
 * execution); the pool (sandbox-pool.ts) hands it to the next owner only when it is alive and no
 * cell of the last one is running. Every cell runs in a new QuickJS instance (worker.ts), so an
 * owner finds nothing of the previous one's cells in it.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { TsCellLimits } from '../../config.ts';
import { workerStart } from '../../runtime-paths.ts';
import type { FromWorker, HostReply, ToWorker } from './protocol.ts';

const START = workerStart(new URL('./worker.ts', import.meta.url), 'ts-cell-worker');

/** What the worker's current owner hears: host calls and results of its cells, and the worker's end. */
export interface WorkerOwner {
  message(message: Exclude<FromWorker, { type: 'ready' }>): void;
  ended(error: Error | null): void;
}

export class SandboxWorker {
  readonly ready: Promise<void>;
  /** the boot finished (TypeScript and QuickJS loaded) */
  booted = false;
  /** the thread has ended (exit, crash, terminate) or is being terminated */
  ended = false;
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private owner: WorkerOwner | null = null;
  private nextRunId = 1;
  private readonly endListeners: ((error: Error | null) => void)[] = [];
  private exited = false;

  constructor(readonly limits: TsCellLimits) {
    const channel = new MessageChannel();
    // The V8 stack must be deeper than QuickJS's own limit, or wasm overflows it first and the worker dies.
    this.worker = new Worker(START.file, { workerData: { entry: START.entry }, resourceLimits: { stackSizeMb: Math.max(8, Math.ceil(limits.stackKb / 1024) * 4), maxOldGenerationSizeMb: 512 } });
    this.replies = channel.port1;
    let markReady: () => void = () => undefined;
    let markFailed: (error: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)));
    this.ready.catch(() => undefined);
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        this.booted = true;
        markReady();
        this.worker.unref(); // an idle worker must not keep a stopping process alive (owners ref it during a cell)
      }
      else this.owner?.message(message);
    });
    const end = (error: Error | null) => {
      if (this.exited) return; // a crash fires 'error' then 'exit'
      this.exited = true;
      this.ended = true;
      markFailed(error ?? new Error('the ts sandbox worker stopped'));
      const owner = this.owner;
      this.owner = null;
      for (const listener of this.endListeners.splice(0)) listener(error);
      owner?.ended(error);
    };
    this.worker.on('error', (error: unknown) => end(error instanceof Error ? error : new Error(String(error))));
    this.worker.on('exit', () => end(null));
    const init: ToWorker = { type: 'init', signal: this.signal.buffer as SharedArrayBuffer, replies: channel.port2, limits };
    this.worker.postMessage(init, [channel.port2]);
  }

  /** Called once when the thread ends, whoever owns it then. */
  onEnd(listener: (error: Error | null) => void): void {
    if (this.exited) listener(null);
    else this.endListeners.push(listener);
  }

  adopt(owner: WorkerOwner): void {
    if (this.owner) throw new Error('the sandbox worker already has an owner');
    this.owner = owner;
  }

  /** The owner lets go (it is done with the worker, or the worker is being terminated). */
  release(owner: WorkerOwner): void {
    if (this.owner === owner) this.owner = null;
  }

  /** Run ids are this worker's: a message of an earlier owner's cell can never match a later one's. */
  newRunId(): number {
    return this.nextRunId++;
  }

  post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /** A host call's reply, and the wake-up of the worker's Atomics.wait. */
  reply(reply: HostReply): void {
    if (this.ended) return;
    this.replies.postMessage(reply);
    Atomics.store(this.signal, 0, 1);
    Atomics.notify(this.signal, 0);
  }

  /** Keep the process alive while a cell runs; not while idle. */
  busy(running: boolean): void {
    if (this.ended) return;
    if (running) this.worker.ref();
    else this.worker.unref();
  }

  async terminate(): Promise<void> {
    this.ended = true;
    await this.worker.terminate();
  }
}
