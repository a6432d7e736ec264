/**
 * One run of the engine over several threads sharing one copy of the columns (bench/engine.ts).
 * The main thread loads the book once and copies its columns onto SharedArrayBuffer (shareColumns,
 * ids left out: no pass reads them); warm workers (bench/split-worker.ts) receive them without a
 * copy. Each phase is run by every thread at once on its own part — EVE and NII cut by estimated
 * work (balancedCut), the standardised pass on the EVE ranges (it reuses their day aggregates) —
 * and the phase's wall time runs until the last part is done. Results merge by adding the arrays.
 */
import { balancedCut, shareColumns, shareSchedules } from '@almready/engine';
import {
  PHASES, POSITIONS, TARGET_MB, TARGET_MS, benchPhases, eveFull, eveStandardised, loadBook, loadingName, niiTwelveMonths, peakRssMb,
  setupRun, sortedIfAsked, total, totalRow, type BenchRow, type BenchTotals, type Book,
} from './engine.ts';
import { SplitWorker, WARM_UP_POSITIONS, partTimes, threadTimes, warmUp, type Done, type Request } from './split-worker.ts';

const TOLERANCE = 1e-9;

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

export interface SplitResult {
  rows: BenchRow[];
  totals: BenchTotals;
  /** excluded from the timed phases: workers spawned (tsx, engine imported), then every thread warmed up */
  spawnMs: number;
  warmUpMs: number;
  /** ms the threads were ready to run but had no CPU during the timed phases (other processes): ~0 on a quiet machine */
  waited: { main: number; workers: number };
  cuts: { eve: number[]; nii: number[] };
}

/** The timed phases over `threads` threads (the main thread and threads − 1 workers). */
export async function benchSplit(threads = 2, positions = POSITIONS): Promise<SplitResult> {
  if (!Number.isInteger(threads) || threads < 2) throw new RangeError(`a split run needs 2 or more threads, got ${threads}`);
  let started = performance.now();
  const workers = Array.from({ length: threads - 1 }, () => new SplitWorker());
  try {
    await Promise.all(workers.map((w) => w.ready));
    const spawnMs = performance.now() - started;
    started = performance.now();
    await Promise.all([...workers.map((w) => w.request({ kind: 'warm' })), Promise.resolve().then(warmUp)]);
    const warmUpMs = performance.now() - started;

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
    const t0 = performance.now();
    const cpu = process.cpuUsage();
    const book0 = loadBook(positions);
    rows.push({ name: loadingName(positions), ms: Math.round(performance.now() - t0), cpuMs: cpuSince(cpu), peakRssMb: peakRssMb() });
    const loaded = sortedIfAsked(book0); // untimed, as in benchPhases

    // the main thread computes on the shared copy too; the ordinary columns (and the ids) become garbage
    const t1 = performance.now();
    const cpu1 = process.cpuUsage();
    const book: Book = { positions: shareColumns(loaded.positions, { ids: false }), schedules: shareSchedules(loaded.schedules), curves: loaded.curves };
    rows.push({ name: 'copy columns onto SharedArrayBuffer (ids left out)', ms: Math.round(performance.now() - t1), cpuMs: cpuSince(cpu1), peakRssMb: peakRssMb() });
    await phase('hand the shared columns to the workers', () => undefined, () => ({ kind: 'book', book }));
    const { positions: p, schedules, curves } = book;
    // the main thread cuts EVE while the first worker cuts NII (~30 ms each at 1M)
    const setup = await phase(`${PHASES.setup} + work cut`, () => {
      const run = setupRun(p, schedules, curves);
      return { run, eve: balancedCut(p, run.asOf, threads, { pass: 'eve' }) };
    }, (k) => (k === 1 ? { kind: 'setup', cut: { pass: 'nii', parts: threads } } : { kind: 'setup' }));
    const { run } = setup.mine;
    const cuts = { eve: setup.mine.eve, nii: setup.done[0]?.cuts ?? [] };
    if (cuts.nii.length !== threads + 1) throw new Error(`the first worker returned no NII cut for ${threads} parts`);
    const part = (list: number[], k: number): [number, number] => [list[k] as number, list[k + 1] as number];
    const full = await phase(PHASES.eveFull, () => eveFull(run, p, ...part(cuts.eve, 0)), (k) => ({ kind: 'eve', ...rangeOf(part(cuts.eve, k)) }));
    const nii = await phase(PHASES.nii, () => niiTwelveMonths(run, p, ...part(cuts.nii, 0)), (k) => ({ kind: 'nii', ...rangeOf(part(cuts.nii, k)) }));
    const standardised = await phase(PHASES.eveStandardised, () => eveStandardised(run, p, ...part(cuts.eve, 0), full.mine), () => ({ kind: 'standardised' }));
    const sum = (mine: Float64Array[][], done: Done[]): number[] =>
      total(merged([mine, ...done.map((d) => d.byGroup ?? fail('a worker returned no results'))]));
    const totals: BenchTotals = {
      eveFull: sum(full.mine.byGroup, full.done),
      nii: sum(nii.mine.byGroup, nii.done),
      eveStandardised: sum(standardised.mine.byGroup, standardised.done),
    };
    const waited = { main: threadTimes().waitMs - mainBefore.waitMs, workers: rows.reduce((sum, r) => sum + (r.parts ?? []).slice(1).reduce((a, x) => a + x.waitMs, 0), 0) };
    return { rows, totals, spawnMs, warmUpMs, cuts, waited };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const rangeOf = ([from, to]: [number, number]) => ({ from, to });
const fail = (message: string): never => {
  throw new Error(message);
};

/** Largest relative difference (denominator at least 1) between two runs' totals. */
export function largestDifference(a: BenchTotals, b: BenchTotals): number {
  const keys = ['eveFull', 'nii', 'eveStandardised'] as const;
  return Math.max(...keys.flatMap((key) => a[key].map((v, s) => Math.abs(v - (b[key][s] as number)) / Math.max(1, Math.abs(b[key][s] as number)))));
}

const fmt = (x: number): string => (Number.isNaN(x) ? '–' : Math.round(x).toLocaleString('en'));

function table(title: string, rows: BenchRow[], single?: BenchRow[]): void {
  console.log(`\n${title}`);
  const extra = single ? `  ${'vs 1 thread'.padStart(11)}  each thread's part, main first: wall ms (own cpu ms, ms waiting for a cpu)` : '';
  console.log(`${'phase'.padEnd(64)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'peak RSS'.padStart(9)}${extra}`);
  for (const r of [...rows, totalRow(rows)]) {
    const same = single?.find((s) => s.name.startsWith(r.name.split(' (')[0] as string));
    const ratio = single ? `  ${same ? `${(r.ms / Math.max(1, same.ms)).toFixed(2)}×` : ''}`.padEnd(13) : '';
    const parts = r.parts ? `  ${r.parts.map((x) => `${fmt(x.ms)} (${fmt(x.cpuMs)}, ${fmt(x.waitMs)})`).join(' / ')}` : '';
    console.log(`${r.name.padEnd(64)} ${fmt(r.ms).padStart(8)} ${fmt(r.cpuMs).padStart(8)} ${String(r.peakRssMb).padStart(6)} MB${ratio}${parts}`);
  }
}

/** bench/engine.ts run directly: both configurations, the headline first; exit code 1 when the split's totals differ. */
export async function main(threads: number): Promise<number> {
  warmUp(); // the split's threads are warm (a server pool's would be): so is the single thread it is compared with
  const before = threadTimes();
  const single = benchPhases();
  const after = threadTimes();
  const singleWaited = after.waitMs - before.waitMs;
  const singleTotal = totalRow(single.rows);
  const split = threads >= 2 ? await benchSplit(threads) : undefined;
  const splitTotal = split ? totalRow(split.rows) : undefined;
  const best = splitTotal && splitTotal.ms < singleTotal.ms ? { label: `${threads} threads (shared columns)`, row: splitTotal } : { label: '1 thread', row: singleTotal };
  const met = best.row.ms < TARGET_MS && best.row.peakRssMb < TARGET_MB;
  const sorted = process.env['BENCH_ORDER'] === 'product' ? ', sorted by product' : '';
  console.log(`ENGINE HEADLINE (${POSITIONS.toLocaleString('en')} positions${sorted}): ${fmt(best.row.ms)} ms wall, peak RSS ${best.row.peakRssMb} MB on ${best.label} — target < ${fmt(TARGET_MS)} ms and < ${fmt(TARGET_MB)} MB: ${met ? 'MET' : 'NOT MET'}`);
  const other = splitTotal ? `; 1 thread ${fmt(singleTotal.ms)} ms, ${threads} threads ${fmt(splitTotal.ms)} ms (worker spawn + warm-up excluded)` : '';
  console.log(`  (the faster configuration${other})`);
  table(`1 thread (warmed up on ${WARM_UP_POSITIONS.toLocaleString('en')} positions first, like the split's threads)`, single.rows);
  console.log(`load: the thread waited ${fmt(singleWaited)} ms for a CPU (other processes had it; ~0 when the figures are clean)`);
  if (!split) return 0;
  table(`${threads} threads (shared columns) — worker spawn and warm-up excluded, as in a warm server pool`, split.rows, [...single.rows, singleTotal]);
  console.log(`load: the threads waited ${fmt(split.waited.main)} ms (main) and ${fmt(split.waited.workers)} ms (workers) for a CPU (~0 when the figures are clean)`);
  // a compute-bound phase's wall time approaches its busiest thread's CPU time when no other process takes a core
  const busiest = split.rows.reduce((sum, r) => sum + (r.parts ? Math.max(...r.parts.map((x) => x.cpuMs)) : r.cpuMs), 0);
  console.log(`without the waiting: the busiest thread's CPU per phase, summed: ${fmt(busiest)} ms on ${threads} threads vs ${fmt(after.cpuMs - before.cpuMs)} ms the single thread's own CPU`);
  console.log(`excluded: worker spawn (tsx + engine import) ${fmt(split.spawnMs)} ms, warm-up of every thread on ${WARM_UP_POSITIONS.toLocaleString('en')} positions ${fmt(split.warmUpMs)} ms`);
  console.log(`cuts: EVE ${split.cuts.eve.join(' | ')}, NII ${split.cuts.nii.join(' | ')}; cpu ms = the whole process (all threads); peak RSS = the process's so far`);
  const worst = largestDifference(split.totals, single.totals);
  const ok = worst < TOLERANCE;
  console.log(`split totals vs single thread: largest relative difference ${worst.toExponential(1)} (${ok ? 'within' : 'OUTSIDE'} ${TOLERANCE})`);
  return ok ? 0 : 1;
}
