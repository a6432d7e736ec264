/**
 * One run of the engine over several threads sharing one copy of the columns (bench/engine.ts).
 * The main thread loads the book once and copies its columns onto SharedArrayBuffer (shareColumns,
 * ids left out: no pass reads them); warm workers receive them without a copy. Each phase is run
 * by every thread at once on its own part — EVE and NII cut by estimated work (balancedCut), the
 * standardised pass on the EVE ranges (it reuses their day aggregates) — and the phase's wall time
 * runs until the last part is done. Results are merged by adding the arrays.
 */
import { Worker, isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { balancedCut, shareColumns, shareSchedules, type EveValues } from '@almready/engine';
import {
  PHASES, POSITIONS, TARGET_MB, TARGET_MS, benchPhases, eveFull, eveStandardised, loadBook, loadingName, niiTwelveMonths, peakRssMb,
  setupRun, sortedIfAsked, total, totalRow, type BenchRow, type BenchTotals, type Book, type Run,
} from './engine.ts';

const WARM_UP_POSITIONS = 2_000;
const TOLERANCE = 1e-9;

type Request =
  | { kind: 'warm' }
  | { kind: 'book'; book: Book }
  | { kind: 'setup' }
  | { kind: 'eve' | 'nii'; from: number; to: number }
  | { kind: 'standardised' };
type Reply = { ms: number; byGroup?: Float64Array[][] } | { error: string };

/** Every phase once on a small book, so the first timed pass does not pay for V8 compiling the engine (a server's pool workers are warm too). */
function warmUp(): void {
  const book = loadBook(WARM_UP_POSITIONS);
  const run = setupRun(book.positions, book.schedules, book.curves);
  const full = eveFull(run, book.positions, 0, WARM_UP_POSITIONS);
  niiTwelveMonths(run, book.positions, 0, WARM_UP_POSITIONS);
  eveStandardised(run, book.positions, 0, WARM_UP_POSITIONS, full);
}

/** Worker side: keeps the shared book, its run context and its EVE part between requests. */
function serve(port: MessagePort): void {
  let book: Book | undefined;
  let run: Run | undefined;
  let full: { values: EveValues; from: number; to: number } | undefined;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`worker asked to compute before it received ${what}`);
    return value;
  };
  port.on('message', (request: Request) => {
    const started = performance.now();
    const done = (byGroup?: Float64Array[][]): void => port.postMessage({ ms: performance.now() - started, byGroup } satisfies Reply);
    try {
      if (request.kind === 'warm') return done(void warmUp());
      if (request.kind === 'book') return done(void (book = request.book));
      const b = need(book, 'the book');
      if (request.kind === 'setup') return done(void (run = setupRun(b.positions, b.schedules, b.curves)));
      const r = need(run, 'the setup request');
      if (request.kind === 'eve') {
        full = { values: eveFull(r, b.positions, request.from, request.to), from: request.from, to: request.to };
        return done(full.values.byGroup);
      }
      if (request.kind === 'nii') return done(niiTwelveMonths(r, b.positions, request.from, request.to).byGroup);
      const f = need(full, 'the EVE full request');
      return done(eveStandardised(r, b.positions, f.from, f.to, f.values).byGroup);
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Reply);
    }
  });
  port.postMessage({ ms: 0 } satisfies Reply); // ready: tsx registered, engine imported
}

// Node 20 workers do not pick up `--import tsx` from execArgv: the worker registers tsx itself,
// then loads this file, which sees workerData and serves requests.
const BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;

/** A worker with one request in flight at a time. */
class PoolWorker {
  private readonly worker = new Worker(BOOTSTRAP, { eval: true, workerData: { role: 'engine-split' } });
  private pending: { resolve: (r: { ms: number; byGroup?: Float64Array[][] }) => void; reject: (e: Error) => void } | undefined;
  readonly ready: Promise<unknown>;

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

  request(message: Request): Promise<{ ms: number; byGroup?: Float64Array[][] }> {
    if (this.pending) throw new Error('one request at a time');
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

const SHARE = 'share columns with the workers (SharedArrayBuffer copy)';
const fail = (message: string): never => {
  throw new Error(message);
};

/** byGroup of the parts added element by element. */
function merged(parts: Float64Array[][][]): Float64Array[][] {
  const [first, ...rest] = parts;
  if (first === undefined) throw new Error('no part to merge');
  const sum = first.map((byScenario) => byScenario.map((values) => Float64Array.from(values)));
  for (const part of rest) part.forEach((byScenario, d) => byScenario.forEach((values, s) => values.forEach((v, g) => (sum[d]![s]![g]! += v))));
  return sum;
}

/** Timed like a phase: the copy onto SharedArrayBuffer, then every worker's receipt of it. */
async function shareWithWorkers(loaded: Book, workers: PoolWorker[], rows: BenchRow[]): Promise<Book> {
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  const book: Book = { positions: shareColumns(loaded.positions, { ids: false }), schedules: shareSchedules(loaded.schedules), curves: loaded.curves };
  const copyMs = performance.now() - t0;
  const receipts = await Promise.all(workers.map((w) => w.request({ kind: 'book', book })));
  const used = process.cpuUsage(cpu);
  rows.push({ name: SHARE, ms: Math.round(performance.now() - t0), cpuMs: Math.round((used.user + used.system) / 1000), peakRssMb: peakRssMb(), parts: [copyMs, ...receipts.map((r) => r.ms)].map(Math.round) });
  return book;
}

export interface SplitResult {
  rows: BenchRow[];
  totals: BenchTotals;
  /** excluded from the timed phases: workers spawned (tsx, engine imported), then every thread warmed up */
  spawnMs: number;
  warmUpMs: number;
  cuts: { eve: number[]; nii: number[] };
}

/** The timed phases over `threads` threads (the main thread and threads − 1 workers). */
export async function benchSplit(threads = 2, positions = POSITIONS): Promise<SplitResult> {
  if (!Number.isInteger(threads) || threads < 2) throw new RangeError(`a split run needs 2 or more threads, got ${threads}`);
  let started = performance.now();
  const workers = Array.from({ length: threads - 1 }, () => new PoolWorker());
  try {
    await Promise.all(workers.map((w) => w.ready));
    const spawnMs = performance.now() - started;
    started = performance.now();
    await Promise.all([...workers.map((w) => w.request({ kind: 'warm' })), Promise.resolve().then(warmUp)]);
    const warmUpMs = performance.now() - started;

    const rows: BenchRow[] = [];
    /** Main's part runs while the workers run theirs; wall time until the last part is done. */
    const phase = async <T>(name: string, mine: () => T, theirs: (k: number) => Request): Promise<{ mine: T; byGroup: (Float64Array[][] | undefined)[] }> => {
      const t0 = performance.now();
      const cpu = process.cpuUsage();
      const replies = workers.map((w, k) => w.request(theirs(k + 1)));
      const value = mine();
      const mainMs = performance.now() - t0;
      const done = await Promise.all(replies);
      const used = process.cpuUsage(cpu);
      const ms = performance.now() - t0;
      rows.push({ name, ms: Math.round(ms), cpuMs: Math.round((used.user + used.system) / 1000), peakRssMb: peakRssMb(), parts: [mainMs, ...done.map((r) => r.ms)].map(Math.round) });
      return { mine: value, byGroup: done.map((r) => r.byGroup) };
    };
    const time = <T>(name: string, run: () => T): T => {
      const t0 = performance.now();
      const cpu = process.cpuUsage();
      const value = run();
      const used = process.cpuUsage(cpu);
      rows.push({ name, ms: Math.round(performance.now() - t0), cpuMs: Math.round((used.user + used.system) / 1000), peakRssMb: peakRssMb() });
      return value;
    };

    const loaded = sortedIfAsked(time(loadingName(positions), () => loadBook(positions)));
    // the main thread computes on the shared copy too; the ordinary columns (and the ids) become garbage
    const book = await shareWithWorkers(loaded, workers, rows);
    const p = book.positions;
    let cuts = { eve: [0, p.length], nii: [0, p.length] };
    const run = (
      await phase(`${PHASES.setup} + work cut`, () => {
        const context = setupRun(p, book.schedules, book.curves);
        cuts = { eve: balancedCut(p, context.asOf, threads, { pass: 'eve' }), nii: balancedCut(p, context.asOf, threads, { pass: 'nii' }) };
        return context;
      }, () => ({ kind: 'setup' }))
    ).mine;
    const range = (list: number[], k: number) => ({ from: list[k] as number, to: list[k + 1] as number });
    const full = await phase(PHASES.eveFull, () => eveFull(run, p, cuts.eve[0] as number, cuts.eve[1] as number), (k) => ({ kind: 'eve', ...range(cuts.eve, k) }));
    const nii = await phase(PHASES.nii, () => niiTwelveMonths(run, p, cuts.nii[0] as number, cuts.nii[1] as number), (k) => ({ kind: 'nii', ...range(cuts.nii, k) }));
    const standardised = await phase(PHASES.eveStandardised, () => eveStandardised(run, p, cuts.eve[0] as number, cuts.eve[1] as number, full.mine), () => ({ kind: 'standardised' }));
    const sum = (mine: Float64Array[][], theirs: (Float64Array[][] | undefined)[]): number[] =>
      total(merged([mine, ...theirs.map((b) => b ?? fail('a worker returned no results'))]));
    const totals: BenchTotals = {
      eveFull: sum(full.mine.byGroup, full.byGroup),
      nii: sum(nii.mine.byGroup, nii.byGroup),
      eveStandardised: sum(standardised.mine.byGroup, standardised.byGroup),
    };
    return { rows, totals, spawnMs, warmUpMs, cuts };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Largest relative difference (denominator at least 1) between two runs' totals. */
export function largestDifference(a: BenchTotals, b: BenchTotals): number {
  const keys = ['eveFull', 'nii', 'eveStandardised'] as const;
  return Math.max(...keys.flatMap((key) => a[key].map((v, s) => Math.abs(v - (b[key][s] as number)) / Math.max(1, Math.abs(b[key][s] as number)))));
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en');

function table(title: string, rows: BenchRow[], single?: BenchRow[]): void {
  console.log(`\n${title}`);
  console.log(`${'phase'.padEnd(64)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'peak RSS'.padStart(9)}${single ? '  vs 1 thread  parts ms (main, workers)' : ''}`);
  for (const r of [...rows, totalRow(rows)]) {
    const same = single?.find((s) => s.name.startsWith(r.name.split(' (')[0] as string));
    const ratio = same && single ? `  ${(r.ms / Math.max(1, same.ms)).toFixed(2).padStart(11)}×` : single ? ''.padStart(14) : '';
    console.log(`${r.name.padEnd(64)} ${fmt(r.ms).padStart(8)} ${fmt(r.cpuMs).padStart(8)} ${String(r.peakRssMb).padStart(6)} MB${ratio}${r.parts ? `  ${r.parts.map(fmt).join(' / ')}` : ''}`);
  }
}

/** bench/engine.ts run directly: both configurations, the headline first; exit code 1 when the split's totals differ. */
export async function main(threads: number): Promise<number> {
  const single = benchPhases();
  const singleTotal = totalRow(single.rows);
  const split = threads >= 2 ? await benchSplit(threads) : undefined;
  const splitTotal = split ? totalRow(split.rows) : undefined;
  const best = splitTotal && splitTotal.ms < singleTotal.ms ? { label: `${threads} threads (shared columns)`, row: splitTotal } : { label: '1 thread', row: singleTotal };
  const met = best.row.ms < TARGET_MS && best.row.peakRssMb < TARGET_MB;
  console.log(`ENGINE HEADLINE (${POSITIONS.toLocaleString('en')} positions${process.env['BENCH_ORDER'] === 'product' ? ', sorted by product' : ''}): ${fmt(best.row.ms)} ms wall, peak RSS ${best.row.peakRssMb} MB on ${best.label} — target < ${fmt(TARGET_MS)} ms and < ${fmt(TARGET_MB)} MB ${met ? 'MET' : 'NOT MET'}`);
  console.log(`  (faster configuration; 1 thread: ${fmt(singleTotal.ms)} ms${splitTotal ? `, ${threads} threads: ${fmt(splitTotal.ms)} ms wall, worker spawn + warm-up excluded` : ''})`);
  table('1 thread', single.rows);
  if (!split) return 0;
  table(`${threads} threads (shared columns) — worker spawn and warm-up excluded, as in a warm server pool`, split.rows, [...single.rows, singleTotal]);
  console.log(`excluded: worker spawn (tsx + engine import) ${fmt(split.spawnMs)} ms, warm-up of every thread on ${WARM_UP_POSITIONS.toLocaleString('en')} positions ${fmt(split.warmUpMs)} ms`);
  console.log(`cuts: EVE ${split.cuts.eve.join(' | ')}, NII ${split.cuts.nii.join(' | ')}; cpu ms = the whole process (all threads); peak RSS = the process's so far`);
  const worst = largestDifference(split.totals, single.totals);
  const ok = worst < TOLERANCE;
  console.log(`split totals vs single thread: largest relative difference ${worst.toExponential(1)} (${ok ? 'within' : 'OUTSIDE'} ${TOLERANCE})`);
  return ok ? 0 : 1;
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'engine-split' && parentPort) serve(parentPort);
