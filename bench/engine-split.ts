/**
 * One run of the engine over several threads sharing one copy of the columns (bench/engine.ts).
 * The main thread loads the book once and copies its columns onto SharedArrayBuffer (shareColumns,
 * ids left out: no pass reads them); warm workers (bench/split-worker.ts) receive them without a
 * copy. Each phase is run by every thread at once on its own part — EVE and NII cut by estimated
 * work (balancedCut), the standardised pass on the EVE ranges (it reuses their day aggregates) —
 * and the phase's wall time runs until the last part is done. Results merge by adding the arrays.
 */
import { balancedCut, type PositionColumns } from '@almready/engine';
import {
  columnNames, gatherColumns, localityOrder, reorderSchedules, shareColumns, sharedCopy, sharedLike, shareSchedules, type EveValues,
} from '@almready/engine/testing';
import {
  PHASES, POSITIONS, SEPARATE, SORTED, eveAndNii, eveFull, eveStandardised, loadBook, loadingName, niiTwelveMonths, peakRssMb,
  setupRun, sortedIfAsked, threadTimes, timed, total, totalRow, type BenchRow, type BenchTotals, type Book,
} from './engine.ts';
import { SplitWorker, partTimes, runPart, warmUp, type Done, type Part, type PartResult, type Request } from './split-worker.ts';

/** byGroup of the parts added element by element. */
function merged(parts: Float64Array[][][]): Float64Array[][] {
  const [first, ...rest] = parts;
  if (first === undefined) throw new Error('no part to merge');
  const sum = first.map((byScenario) => byScenario.map((values) => Float64Array.from(values)));
  for (const part of rest) part.forEach((byScenario, d) => byScenario.forEach((values, s) => values.forEach((v, g) => (sum[d]![s]![g]! += v))));
  return sum;
}

const cpuSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1000);
};

/**
 * Loading (timed as in benchPhases), then the copy onto SharedArrayBuffer that every thread reads
 * the locality reorder from. A function of its own so that the ordinary columns and the 1M id
 * strings are garbage once it returns (an async function's locals live until it ends).
 */
function loadAndShare(positions: number, rows: BenchRow[]): Book {
  if (!SORTED) {
    // the book is built on SharedArrayBuffer (as a split-aware loader would load it): no copy
    const loaded = timed(rows, loadingName(positions), () => loadBook(positions, true));
    return timed(rows, 'schedules onto SharedArrayBuffer (ids left out)', () => ({
      positions: { ...loaded.positions, id: [] },
      schedules: shareSchedules(loaded.schedules),
      curves: loaded.curves,
    }));
  }
  const loaded = sortedIfAsked(timed(rows, loadingName(positions), () => loadBook(positions))); // sorting untimed, as in benchPhases
  return timed(rows, 'copy columns onto SharedArrayBuffer (ids left out)', () => ({
    positions: shareColumns(loaded.positions, { ids: false }),
    schedules: shareSchedules(loaded.schedules),
    curves: loaded.curves,
  }));
}

/** Element size of a typed column by columnNames() name (dictionary codes are Int32). */
function bytesPerElement(p: PositionColumns, name: string): number {
  if (name === 'product' || name === 'currency' || name === 'index' || name.startsWith('attributes.')) return 4;
  return (p[name as keyof PositionColumns] as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
}

/**
 * The locality order (as analyse() visits the positions), computed on the main thread, then the
 * columns gathered into a shared target by all threads at once, each its own columns (weighted by
 * element size; the main thread also moves the schedule rows). Timed as one phase.
 */
async function sharedLocality(source: Book, workers: SplitWorker[], rows: BenchRow[]): Promise<Book> {
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  const before = threadTimes();
  const order = sharedCopy(localityOrder(source.positions));
  const target = sharedLike(source.positions);
  // greedy by element size + 4 (the random read per element); the main thread starts with the order
  // and the schedules it moves (~1/4 of the 185 units of a 1M book: measured 394 vs 276 ms at 12)
  const shares = [{ load: 50, names: [] as string[] }, ...workers.map(() => ({ load: 0, names: [] as string[] }))];
  const weight = (name: string): number => 4 + bytesPerElement(target, name);
  for (const name of columnNames(target).sort((a, b) => weight(b) - weight(a))) {
    const least = shares.reduce((a, b) => (b.load < a.load ? b : a));
    least.names.push(name);
    least.load += weight(name);
  }
  const replies = workers.map((w, k) => w.request({ kind: 'gather', target, order, names: shares[k + 1]!.names }));
  gatherColumns(source.positions, target, order, shares[0]!.names);
  const schedules = reorderSchedules(source.schedules, order);
  const own = partTimes(t0, before);
  const done = await Promise.all(replies);
  rows.push({ name: `${PHASES.locality.split(' (')[0]} (order on main, columns gathered by every thread)`, ms: Math.round(performance.now() - t0), cpuMs: cpuSince(cpu), peakRssMb: peakRssMb(), parts: [own, ...done] });
  return { positions: target, schedules, curves: source.curves };
}

export interface SplitResult {
  rows: BenchRow[];
  totals: BenchTotals;
  /** excluded from the timed phases: workers spawned (tsx, engine imported), then every thread warmed up */
  spawnMs: number;
  warmUpMs: number;
  /** ms the threads were ready to run but had no CPU during the timed phases (other processes): ~0 on a quiet machine */
  waited: { main: number; workers: number };
  /** shared pass (default): eve = nii = the one cut of the EVE + NII pass; partitioned: the row ranges */
  cuts: { eve: number[]; nii: number[] };
  /** partitioned runs: the real wall time from start to the added-up totals (phase rows are per-phase maxima), process CPU */
  wall?: { ms: number; cpuMs: number };
  /** every timed run's wall ms, in the order run (the result is the median one); its totals are `allTotals` */
  runs?: number[];
  allTotals?: BenchTotals[];
}

/**
 * Timed runs one after another in the same warm threads (BENCH_RUNS, default 3), as a server pool
 * serves run after run: single runs on this machine differ by up to ±25% with nothing else
 * running, so the bench reports the median run and lists all.
 */
export const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3));

/** The median result by `ms` (upper median for an even count), with every run's ms and totals attached. */
export function medianRun<T extends { totals: BenchTotals }>(results: T[], ms: (r: T) => number): T & { runs: number[]; allTotals: BenchTotals[] } {
  const sorted = [...results].sort((a, b) => ms(a) - ms(b));
  const median = sorted[Math.floor(sorted.length / 2)];
  if (median === undefined) throw new Error('no timed run');
  return { ...median, runs: results.map(ms), allTotals: results.map((r) => r.totals) };
}

/**
 * threads − 1 workers spawned and every thread (the main one too) warmed up, as a server pool's
 * are before a run: `shared` warms up on SharedArrayBuffer columns. Spawn and warm-up ms are
 * printed, not counted. The caller terminates the workers (also when spawning fails).
 */
async function warmPool(threads: number, shared: boolean, workers: SplitWorker[]): Promise<{ spawnMs: number; warmUpMs: number }> {
  if (!Number.isInteger(threads) || threads < 2) throw new RangeError(`a split run needs 2 or more threads, got ${threads}`);
  let started = performance.now();
  for (let k = 1; k < threads; k++) workers.push(new SplitWorker());
  await Promise.all(workers.map((w) => w.ready));
  const spawnMs = performance.now() - started;
  started = performance.now();
  await Promise.all([...workers.map((w) => w.request({ kind: 'warm', shared })), Promise.resolve().then(() => warmUp(shared))]);
  return { spawnMs, warmUpMs: performance.now() - started };
}

/** The timed phases over `threads` threads (the main thread and threads − 1 workers). */
export async function benchSplit(threads = 2, positions = POSITIONS): Promise<SplitResult> {
  const workers: SplitWorker[] = [];
  try {
    const { spawnMs, warmUpMs } = await warmPool(threads, true, workers);

    const rows: BenchRow[] = [];
    const mainBefore = threadTimes();
    /** `mine` runs on the main thread while the workers run theirs; wall time until the last part is done. */
    const phase = async <T>(name: string, mine: () => T, theirs: (k: number) => Request): Promise<{ mine: T; done: Done[] }> => {
      const t0 = performance.now();
      const cpu = process.cpuUsage();
      const replies = workers.map((w, k) => w.request(theirs(k + 1)));
      const before = threadTimes();
      const value = mine();
      const own = partTimes(t0, before);
      const done = await Promise.all(replies);
      rows.push({ name, ms: Math.round(performance.now() - t0), cpuMs: cpuSince(cpu), peakRssMb: peakRssMb(), parts: [own, ...done] });
      return { mine: value, done };
    };
    const source = loadAndShare(positions, rows);
    await phase('hand the shared columns to the workers', () => undefined, () => ({ kind: 'source', book: source }));
    const book = await sharedLocality(source, workers, rows);
    const { positions: p, schedules, curves } = book;
    // separate passes: the main thread cuts EVE while the first worker cuts NII (~30 ms each at
    // 1M); the shared pass has one cut, by the work of both
    const setup = await phase(`${PHASES.setup} + work cut`, () => {
      const run = setupRun(p, schedules, curves);
      return { run, eve: balancedCut(p, run.asOf, threads, { pass: SEPARATE ? 'eve' : 'run' }) };
    }, (k) => (k === 1 && SEPARATE ? { kind: 'setup', book, cut: { pass: 'nii', parts: threads } } : { kind: 'setup', book }));
    const { run } = setup.mine;
    const cuts = { eve: setup.mine.eve, nii: SEPARATE ? (setup.done[0]?.cuts ?? []) : setup.mine.eve };
    if (cuts.nii.length !== threads + 1) throw new Error(`the first worker returned no NII cut for ${threads} parts`);
    const part = (list: number[], k: number): [number, number] => [list[k] as number, list[k + 1] as number];
    const sum = (mine: Float64Array[][], done: Done[], key: 'byGroup' | 'niiByGroup' = 'byGroup'): number[] =>
      total(merged([mine, ...done.map((d) => d[key] ?? fail('a worker returned no results'))]));
    let totals: Omit<BenchTotals, 'eveStandardised'>;
    let full: { mine: EveValues; done: Done[] };
    if (SEPARATE) {
      full = await phase(PHASES.eveFull, () => eveFull(run, p, ...part(cuts.eve, 0)), (k) => ({ kind: 'eve', ...rangeOf(part(cuts.eve, k)) }));
      const nii = await phase(PHASES.nii, () => niiTwelveMonths(run, p, ...part(cuts.nii, 0)), (k) => ({ kind: 'nii', ...rangeOf(part(cuts.nii, k)) }));
      totals = { eveFull: sum(full.mine.byGroup, full.done), nii: sum(nii.mine.byGroup, nii.done) };
    } else {
      const both = await phase(PHASES.shared, () => eveAndNii(run, p, ...part(cuts.eve, 0)), (k) => ({ kind: 'shared', ...rangeOf(part(cuts.eve, k)) }));
      full = { mine: both.mine.full, done: both.done };
      totals = { eveFull: sum(both.mine.full.byGroup, both.done), nii: sum(both.mine.nii.byGroup, both.done, 'niiByGroup') };
    }
    const standardised = await phase(PHASES.eveStandardised, () => eveStandardised(run, p, ...part(cuts.eve, 0), full.mine), () => ({ kind: 'standardised' }));
    const allTotals: BenchTotals = { ...totals, eveStandardised: sum(standardised.mine.byGroup, standardised.done) };
    const waited = { main: threadTimes().waitMs - mainBefore.waitMs, workers: rows.reduce((sum, r) => sum + (r.parts ?? []).slice(1).reduce((a, x) => a + x.waitMs, 0), 0) };
    return { rows, totals: allTotals, spawnMs, warmUpMs, cuts, waited };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The partitioned run: thread k loads rows [k·n/threads, (k+1)·n/threads) of the book itself and
 * runs every phase on them alone (runPart); the totals add up at the end. Phase rows give the
 * slowest thread's time for that phase; the total is the wall time from the start until the last
 * part is back and added up (threads do not wait for each other between phases).
 */
export async function benchPartitioned(threads = 2, positions = POSITIONS): Promise<SplitResult> {
  const workers: SplitWorker[] = [];
  try {
    const { spawnMs, warmUpMs } = await warmPool(threads, false, workers);

    const cuts = Array.from({ length: threads + 1 }, (_, k) => Math.round((k * positions) / threads));
    const results: SplitResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const cpu = process.cpuUsage();
      const replies = workers.map((w, k) => w.request({ kind: 'part', positions, from: cuts[k + 1] as number, to: cuts[k + 2] as number }));
      const mine = runPart(positions, cuts[0] as number, cuts[1] as number);
      const parts: PartResult[] = [mine, ...(await Promise.all(replies)).map((d) => d.part ?? fail('a worker returned no part'))];
      const totals: BenchTotals = {
        eveFull: addUp(parts.map((x) => x.totals.eveFull)),
        nii: addUp(parts.map((x) => x.totals.nii)),
        eveStandardised: addUp(parts.map((x) => x.totals.eveStandardised)),
      };
      const wallMs = performance.now() - t0;
      const cpuMs = cpuSince(cpu);
      const rows: BenchRow[] = mine.names.map((name, k) => {
        const each = parts.map((x) => x.phases[k] as Part);
        return { name, ms: Math.round(Math.max(...each.map((x) => x.ms))), cpuMs: Math.round(each.reduce((a, x) => a + x.cpuMs, 0)), peakRssMb: peakRssMb(), parts: each };
      });
      const waited = { main: mine.phases.reduce((a, x) => a + x.waitMs, 0), workers: parts.slice(1).reduce((a, x) => a + x.phases.reduce((b, y) => b + y.waitMs, 0), 0) };
      results.push({ rows, totals, spawnMs, warmUpMs, cuts: { eve: cuts, nii: cuts }, waited, wall: { ms: Math.round(wallMs), cpuMs } });
    }
    return medianRun(results, (r) => r.wall?.ms ?? 0);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Per-scenario totals of the parts added up. */
const addUp = (lists: number[][]): number[] => (lists[0] ?? []).map((_, s) => lists.reduce((sum, list) => sum + (list[s] as number), 0));

const rangeOf = ([from, to]: [number, number]) => ({ from, to });
const fail = (message: string): never => {
  throw new Error(message);
};
