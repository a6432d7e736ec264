/**
 * The worker side of the split engine benchmark (bench/engine-split.ts) and the main thread's
 * handle on it. A worker keeps the shared book, its run context and its EVE part between requests
 * and answers each with its own wall and CPU time.
 */
import { Worker, isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { balancedCut, type PositionColumns } from '@almready/engine';
import {
  columnNames, gatherColumns, localityOrder, reorderSchedules, shareColumns, sharedLike, shareSchedules, type EveValues,
} from '@almready/engine/testing';
import {
  eveAndNii, eveFull, eveStandardised, inLocality, loadBook, loadRows, niiTwelveMonths, runPhases, setupRun, threadTimes,
  type BenchTotals, type Book, type Run,
} from './engine.ts';

export type Request =
  /** shared: warm up on SharedArrayBuffer columns (the shared-columns split), else on ordinary ones (partitioned) */
  | { kind: 'warm'; shared: boolean }
  /** the book in file order, on SharedArrayBuffer: what `gather` reads */
  | { kind: 'source'; book: Book }
  /** this thread's columns of the locality reorder, written into the shared `target` */
  | { kind: 'gather'; target: PositionColumns; order: Int32Array; names: string[] }
  /** the reordered book; `cut`: also return balancedCut for that pass (the main thread cuts the other one meanwhile) */
  | { kind: 'setup'; book: Book; cut?: { pass: 'eve' | 'nii' | 'run'; parts: number } }
  | { kind: 'eve' | 'nii' | 'shared'; from: number; to: number }
  | { kind: 'standardised' }
  /** rows [from, to) of the book of `positions` rows, every phase on this thread alone (runPart) */
  | { kind: 'part'; positions: number; from: number; to: number };
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
  /** 'part' requests: every phase's times and the part's totals */
  part?: PartResult;
}
type Reply = Done | { error: string };


/** The locality reorder of a shared book on one thread (the split shares it out: engine-split.ts). */
function sharedLocality(source: Book): Book {
  const order = localityOrder(source.positions);
  const target = sharedLike(source.positions);
  gatherColumns(source.positions, target, order, columnNames(target));
  return { positions: target, schedules: reorderSchedules(source.schedules, order), curves: source.curves };
}

/**
 * Books of other seeds every phase runs on before the timed run, so the timed run does not pay
 * for V8 compiling the engine (a server's pool workers have served runs before): the small book
 * compiles the code; the two larger ones bring the paths and value ranges a 2,000-row book lacks,
 * whose first appearance would otherwise deoptimise the pass and compile it again during the
 * timed run (--trace-opt --trace-deopt over one timed 2-thread run: ~25 deoptimisations and ~80
 * compilations after the small book alone; ~5 and ~55 after these books and the small runs below,
 * most of them small closures). What is left (the pass's main loop is still compiled once more)
 * is why the bench times several runs in the same warm threads and reports the median.
 */
export const WARM_UP_BOOKS = [
  { positions: 2_000, seed: 101 },
  { positions: 20_000, seed: 102 },
  { positions: 20_000, seed: 103 },
] as const;
export const WARM_UP_LABEL = WARM_UP_BOOKS.map((b) => b.positions.toLocaleString('en')).join(' + ');

/** Every phase on each warm-up book; `shared`: on SharedArrayBuffer columns, as the shared-columns split's timed phases are. */
export function warmUp(shared = false): void {
  for (const { positions, seed } of WARM_UP_BOOKS) {
    const plain = loadBook(positions, false, seed);
    const book = shared ? sharedLocality({ positions: shareColumns(plain.positions, { ids: false }), schedules: shareSchedules(plain.schedules), curves: plain.curves }) : inLocality(plain);
    const run = setupRun(book.positions, book.schedules, book.curves);
    balancedCut(book.positions, run.asOf, 2, { pass: 'eve' });
    balancedCut(book.positions, run.asOf, 2, { pass: 'nii' });
    balancedCut(book.positions, run.asOf, 2, { pass: 'run' });
    const full = eveFull(run, book.positions, 0, positions);
    niiTwelveMonths(run, book.positions, 0, positions);
    eveStandardised(run, book.positions, 0, positions, full);
    const both = eveAndNii(run, book.positions, 0, positions);
    eveStandardised(run, book.positions, 0, positions, both.full);
  }
  // Each phase's long loops run once per call, and V8 optimises such a function only inside that
  // call (on-stack replacement) unless it has been called often: small runs (20 × 250 rows) make it
  // optimise more of them for every call.
  for (let k = 0; k < WARM_UP_CALLS; k++) {
    const { positions, seed } = WARM_UP_BOOKS[WARM_UP_BOOKS.length - 1]!;
    const plain = loadRows(positions, k * 250, (k + 1) * 250, seed);
    const book = shared ? sharedLocality({ positions: shareColumns(plain.positions, { ids: false }), schedules: shareSchedules(plain.schedules), curves: plain.curves }) : inLocality(plain);
    const run = setupRun(book.positions, book.schedules, book.curves);
    const both = eveAndNii(run, book.positions, 0, book.positions.length);
    eveStandardised(run, book.positions, 0, book.positions.length, both.full);
  }
}
const WARM_UP_CALLS = 20;

/** One thread's share of a partitioned run: its times per phase (names in `names`) and its totals. */
export interface PartResult {
  names: string[];
  phases: Part[];
  totals: BenchTotals;
}

/**
 * Rows [from, to) of the book of `positions` rows on this thread alone, phase after phase as a
 * run over the whole book does them (loading only these rows, locality order, setup, EVE full +
 * NII, EVE standardised): the parts of a partitioned run add up (methodology §6–§7 sum over
 * positions), so threads need no shared memory and wait for each other only at the end.
 */
export function runPart(positions: number, from: number, to: number): PartResult {
  const names: string[] = [];
  const phases: Part[] = [];
  const totals = runPhases(
    (name, run) => {
      const started = performance.now();
      const before = threadTimes();
      const value = run();
      names.push(name);
      phases.push(partTimes(started, before));
      return value;
    },
    positions,
    () => loadRows(positions, from, to),
  );
  return { names, phases, totals };
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
      if (request.kind === 'warm') return done(void warmUp(request.shared));
      if (request.kind === 'part') return done({ part: runPart(request.positions, request.from, request.to) });
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
