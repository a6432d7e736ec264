/**
 * The worker side of the split engine benchmark (bench/engine-split.ts) and the main thread's
 * handle on it. A worker keeps the shared book, its run context and its EVE part between requests
 * and answers each with its own wall and CPU time.
 */
import { Worker, isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import {
  balancedCut, columnNames, gatherColumns, localityOrder, reorderSchedules, shareColumns, sharedLike, shareSchedules, type EveValues, type PositionColumns,
} from '@almready/engine';
import { eveAndNii, eveFull, eveStandardised, inLocality, loadBook, niiTwelveMonths, setupRun, threadTimes, type Book, type Run } from './engine.ts';

export type Request =
  | { kind: 'warm' }
  /** the book in file order, on SharedArrayBuffer: what `gather` reads */
  | { kind: 'source'; book: Book }
  /** this thread's columns of the locality reorder, written into the shared `target` */
  | { kind: 'gather'; target: PositionColumns; order: Int32Array; names: string[] }
  /** the reordered book; `cut`: also return balancedCut for that pass (the main thread cuts the other one meanwhile) */
  | { kind: 'setup'; book: Book; cut?: { pass: 'eve' | 'nii' | 'run'; parts: number } }
  | { kind: 'eve' | 'nii' | 'shared'; from: number; to: number }
  | { kind: 'standardised' };
/** One thread's part of a phase: wall ms, its own CPU ms, ms it waited for a CPU. */
export interface Part {
  ms: number;
  cpuMs: number;
  waitMs: number;
}
/** The worker's times for the request, and its results. */
export interface Done extends Part {
  byGroup?: Float64Array[][];
  /** 'shared' requests: NII's byGroup (byGroup is EVE's) */
  niiByGroup?: Float64Array[][];
  cuts?: number[];
}
type Reply = Done | { error: string };

export const WARM_UP_POSITIONS = 2_000;

/** The locality reorder of a shared book on one thread (the split shares it out: engine-split.ts). */
function sharedLocality(source: Book): Book {
  const order = localityOrder(source.positions);
  const target = sharedLike(source.positions);
  gatherColumns(source.positions, target, order, columnNames(target));
  return { positions: target, schedules: reorderSchedules(source.schedules, order), curves: source.curves };
}

/**
 * Every phase once on a small book, so the first timed pass does not pay for V8 compiling the
 * engine (a server's pool workers are warm too); `shared`: on SharedArrayBuffer columns, as the
 * split's timed phases are.
 */
export function warmUp(shared = false): void {
  const plain = loadBook(WARM_UP_POSITIONS);
  const book = shared ? sharedLocality({ positions: shareColumns(plain.positions, { ids: false }), schedules: shareSchedules(plain.schedules), curves: plain.curves }) : inLocality(plain);
  const run = setupRun(book.positions, book.schedules, book.curves);
  balancedCut(book.positions, run.asOf, 2, { pass: 'eve' });
  balancedCut(book.positions, run.asOf, 2, { pass: 'nii' });
  balancedCut(book.positions, run.asOf, 2, { pass: 'run' });
  const full = eveFull(run, book.positions, 0, WARM_UP_POSITIONS);
  niiTwelveMonths(run, book.positions, 0, WARM_UP_POSITIONS);
  eveStandardised(run, book.positions, 0, WARM_UP_POSITIONS, full);
  const both = eveAndNii(run, book.positions, 0, WARM_UP_POSITIONS);
  eveStandardised(run, book.positions, 0, WARM_UP_POSITIONS, both.full);
}

/** Wall ms since `started` and the thread's CPU and wait ms since `before`. */
export function partTimes(started: number, before: { cpuMs: number; waitMs: number }): Part {
  const now = threadTimes();
  return { ms: performance.now() - started, cpuMs: now.cpuMs - before.cpuMs, waitMs: now.waitMs - before.waitMs };
}

function serve(port: MessagePort): void {
  let source: Book | undefined;
  let book: Book | undefined;
  let run: Run | undefined;
  let full: { values: EveValues; from: number; to: number } | undefined;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`worker asked to compute before it received ${what}`);
    return value;
  };
  port.on('message', (request: Request) => {
    const started = performance.now();
    const before = threadTimes();
    const done = (result: Partial<Done> = {}): void => port.postMessage({ ...partTimes(started, before), ...result } satisfies Reply);
    try {
      if (request.kind === 'warm') return done(void warmUp(true));
      if (request.kind === 'source') return done(void (source = request.book));
      if (request.kind === 'gather') return done(void gatherColumns(need(source, 'the book').positions, request.target, request.order, request.names));
      if (request.kind === 'setup') {
        const b = (book = request.book);
        const r = (run = setupRun(b.positions, b.schedules, b.curves));
        return done(request.cut ? { cuts: balancedCut(b.positions, r.asOf, request.cut.parts, { pass: request.cut.pass }) } : {});
      }
      const b = need(book, 'the setup request');
      const r = need(run, 'the setup request');
      if (request.kind === 'eve') {
        full = { values: eveFull(r, b.positions, request.from, request.to), from: request.from, to: request.to };
        return done({ byGroup: full.values.byGroup });
      }
      if (request.kind === 'nii') return done({ byGroup: niiTwelveMonths(r, b.positions, request.from, request.to).byGroup });
      if (request.kind === 'shared') {
        const both = eveAndNii(r, b.positions, request.from, request.to);
        full = { values: both.full, from: request.from, to: request.to };
        return done({ byGroup: both.full.byGroup, niiByGroup: both.nii.byGroup });
      }
      const f = need(full, 'the EVE full request');
      return done({ byGroup: eveStandardised(r, b.positions, f.from, f.to, f.values).byGroup });
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Reply);
    }
  });
  port.postMessage({ ms: 0, cpuMs: 0, waitMs: 0 } satisfies Reply); // ready: tsx registered, engine imported
}

// Node 20 workers do not pick up `--import tsx` from execArgv: the worker registers tsx itself,
// then loads this file, which sees workerData and serves requests.
const BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;

/** The main thread's handle on one worker: one request in flight at a time. */
export class SplitWorker {
  private readonly worker = new Worker(BOOTSTRAP, { eval: true, workerData: { role: 'engine-split' } });
  private pending: { resolve: (done: Done) => void; reject: (error: Error) => void } | undefined;
  /** settles once the worker has imported the engine */
  readonly ready: Promise<Done>;

  constructor() {
    const fail = (error: Error): void => {
      this.pending?.reject(error);
      this.pending = undefined;
    };
    this.ready = new Promise((resolve, reject) => (this.pending = { resolve, reject }));
    this.worker.on('message', (reply: Reply) => {
      const pending = this.pending;
      this.pending = undefined;
      if ('error' in reply) pending?.reject(new Error(`worker: ${reply.error}`));
      else pending?.resolve(reply);
    });
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`worker exited (code ${code}) with a request in flight`)));
  }

  request(message: Request): Promise<Done> {
    if (this.pending) return Promise.reject(new Error('a split worker takes one request at a time'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message);
    });
  }

  terminate(): Promise<number> {
    this.pending = undefined;
    return this.worker.terminate();
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'engine-split' && parentPort) serve(parentPort);
