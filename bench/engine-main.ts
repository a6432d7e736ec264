/**
 * `npx tsx bench/engine.ts`: the single-thread run and the split run, each in a process of its own
 * (clean heap, own peak RSS, no garbage of the other), then the headline, both tables and the check
 * that the split's merged totals equal the single thread's (exit code 1 otherwise).
 */
import { spawn } from 'node:child_process';
import { benchPhases, POSITIONS, TARGET_MB, TARGET_MS, threadTimes, totalRow, type BenchRow, type BenchTotals } from './engine.ts';
import { RUNS, benchPartitioned, benchSplit, medianRun, type SplitResult } from './engine-split.ts';
import { WARM_UP_LABEL, warmUp } from './split-worker.ts';

const TOLERANCE = 1e-9;
/** BENCH_SPLIT=shared: the threads share one copy of the columns and cut every phase; default: each thread loads and runs its own rows */
const SHARED = process.env['BENCH_SPLIT'] === 'shared';
const SPLIT_LABEL = SHARED ? 'shared columns' : 'rows split, each thread loads its own';
const RESULT = 'BENCH_RESULT ';

interface SingleResult {
  rows: BenchRow[];
  totals: BenchTotals;
  /** ms the thread waited for a CPU over the run (other processes had it) */
  waitedMs: number;
  /** every run's total wall ms (this result is the median run), and every run's totals */
  runs: number[];
  allTotals: BenchTotals[];
}

function runSingle(): SingleResult {
  warmUp(); // the split's threads are warm (a server pool's would be): so is the single thread it is compared with
  const results = Array.from({ length: RUNS }, () => {
    const before = threadTimes();
    const { rows, totals } = benchPhases();
    const after = threadTimes();
    return { rows, totals, waitedMs: after.waitMs - before.waitMs };
  });
  return medianRun(results, (r) => totalRow(r.rows).ms);
}

/** This script again with BENCH_ONLY=kind; its result comes back as one JSON line on stdout. */
function inChild<T>(kind: 'single' | 'split', env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1] as string], { env: { ...process.env, ...env, BENCH_ONLY: kind }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || line === undefined) reject(new Error(`the ${kind} run exited with code ${code} and no result`));
      else resolve(JSON.parse(line.slice(RESULT.length)) as T);
    });
  });
}

/** Largest relative difference (denominator at least 1) between two runs' totals. */
export function largestDifference(a: BenchTotals, b: BenchTotals): number {
  const keys = ['eveFull', 'nii', 'eveStandardised'] as const;
  return Math.max(...keys.flatMap((key) => a[key].map((v, s) => Math.abs(v - (b[key][s] as number)) / Math.max(1, Math.abs(b[key][s] as number)))));
}

const fmt = (x: number): string => (Number.isNaN(x) ? '–' : Math.round(x).toLocaleString('en'));

function table(title: string, rows: BenchRow[], single?: BenchRow[], total = totalRow(rows)): void {
  console.log(`\n${title}`);
  const extra = single ? `  ${'vs 1 thread'.padStart(11)}  each thread's part, main first: wall ms (own cpu ms, ms waiting for a cpu)` : '';
  console.log(`${'phase'.padEnd(64)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'peak RSS'.padStart(9)}${extra}`);
  for (const r of [...rows, total]) {
    const same = single?.find((s) => s.name.startsWith(r.name.split(' (')[0] as string));
    const ratio = single ? `  ${same ? `${(r.ms / Math.max(1, same.ms)).toFixed(2)}×` : ''}`.padEnd(13) : '';
    const parts = r.parts ? `  ${r.parts.map((x) => `${fmt(x.ms)} (${fmt(x.cpuMs)}, ${fmt(x.waitMs)})`).join(' / ')}` : '';
    console.log(`${r.name.padEnd(64)} ${fmt(r.ms).padStart(8)} ${fmt(r.cpuMs).padStart(8)} ${String(r.peakRssMb).padStart(6)} MB${ratio}${parts}`);
  }
}

/** Exit code: 1 when the split's totals differ from the single thread's. */
export async function main(threads: number): Promise<number> {
  const only = process.env['BENCH_ONLY'];
  if (only === 'single' || only === 'split') {
    const result = only === 'single' ? runSingle() : SHARED ? await benchSplit(threads) : await benchPartitioned(threads);
    console.log(RESULT + JSON.stringify(result));
    return 0;
  }
  const single = await inChild<SingleResult>('single');
  const singleTotal = totalRow(single.rows);
  const split = threads >= 2 ? await inChild<SplitResult>('split') : undefined;
  const splitTotal = split ? { ...totalRow(split.rows), ...(split.wall ?? {}) } : undefined;
  const best = splitTotal && splitTotal.ms < singleTotal.ms ? { label: `${threads} threads (${SPLIT_LABEL})`, row: splitTotal } : { label: '1 thread', row: singleTotal };
  const met = best.row.ms < TARGET_MS && best.row.peakRssMb < TARGET_MB;
  const sorted = process.env['BENCH_ORDER'] === 'product' ? ', sorted by product' : '';
  const runsOf = (runs: number[] | undefined): string => (runs ? runs.map(fmt).join(' / ') : '');
  const bestRuns = best.row === splitTotal ? split?.runs : single.runs;
  console.log(`ENGINE HEADLINE (${POSITIONS.toLocaleString('en')} positions${sorted}): ${fmt(best.row.ms)} ms wall (median of ${RUNS} runs: ${runsOf(bestRuns)}), peak RSS ${best.row.peakRssMb} MB on ${best.label} — target < ${fmt(TARGET_MS)} ms and < ${fmt(TARGET_MB)} MB: ${met ? 'MET' : 'NOT MET'}`);
  const other = splitTotal ? `; 1 thread ${fmt(singleTotal.ms)} ms (runs ${runsOf(single.runs)}), ${threads} threads ${fmt(splitTotal.ms)} ms (runs ${runsOf(split?.runs)}) with worker spawn + warm-up excluded` : '';
  console.log(`  (the faster configuration${other}; each configuration in a process of its own, its runs one after another; tables: the median run)`);
  table(`1 thread (warmed up on books of ${WARM_UP_LABEL} positions first, like the split's threads)`, single.rows);
  console.log(`load: the thread waited ${fmt(single.waitedMs)} ms for a CPU (other processes had it; ~0 when the figures are clean)`);
  if (process.env['BENCH_SEPARATE'] !== '1') {
    // what each measure costs on its own: EVE full and NII as passes of their own (one run, not in the headline)
    const apart = await inChild<SingleResult>('single', { BENCH_SEPARATE: '1', BENCH_RUNS: '1' });
    table('1 thread, EVE full and NII 12 months as two passes of their own (one run, for reference: analyse() shares one pass)', apart.rows);
  }
  if (!split) return 0;
  const note = split.wall ? '; phase rows: the slowest thread; total: start to the added-up totals' : '';
  table(`${threads} threads (${SPLIT_LABEL}) — worker spawn and warm-up excluded, as in a warm server pool${note}`, split.rows, [...single.rows, singleTotal], splitTotal);
  console.log(`load: the threads waited ${fmt(split.waited.main)} ms (main) and ${fmt(split.waited.workers)} ms (workers) for a CPU (~0 when the figures are clean)`);
  // a compute-bound phase's wall time approaches its busiest thread's CPU time when no other process takes a core
  const busiest = split.rows.reduce((sum, r) => sum + (r.parts ? Math.max(...r.parts.map((x) => x.cpuMs)) : (r.ownCpuMs ?? Number.NaN)), 0);
  const own = single.rows.reduce((sum, r) => sum + (r.ownCpuMs ?? Number.NaN), 0);
  console.log(`without the waiting: the busiest thread's own CPU per phase, summed: ${fmt(busiest)} ms on ${threads} threads vs ${fmt(own)} ms on 1 thread`);
  console.log(`excluded: worker spawn (tsx + engine import) ${fmt(split.spawnMs)} ms, warm-up of every thread on books of ${WARM_UP_LABEL} positions ${fmt(split.warmUpMs)} ms`);
  if (split.wall) console.log(`rows per thread: ${split.cuts.eve.join(' | ')}; cpu ms = the threads' own CPU (total: the whole process)`);
  else console.log(`cuts: EVE ${split.cuts.eve.join(' | ')}, NII ${split.cuts.nii.join(' | ')}; cpu ms = the whole process (all threads)`);
  const worst = Math.max(...(split.allTotals ?? [split.totals]).flatMap((t) => single.allTotals.map((u) => largestDifference(t, u))));
  const ok = worst < TOLERANCE;
  console.log(`split totals vs single thread (every run): largest relative difference ${worst.toExponential(1)} (${ok ? 'within' : 'OUTSIDE'} ${TOLERANCE})`);
  return ok ? 0 : 1;
}
