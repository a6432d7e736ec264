/**
 * Engine benchmark: 1,000,000 synthetic positions (engine/src/synthetic.ts), timed phase by phase
 * in one process: loading (building the columns), EVE full (base + 6 scenarios), NII 12 months
 * (base + 6), EVE standardised (reusing the full pass's fixed-rate day aggregates). Target: all
 * under 3 s and 2 GB. `npx tsx bench/engine.ts` prints the single-thread table, then the same work
 * split over 2 worker threads (each builds the book and runs its half of the positions; the parts
 * add up, methodology §6–§7). `BENCH_POSITIONS=200000` runs a smaller book; `BENCH_WORKERS=0` skips
 * the worker figure.
 */
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  baseDimension,
  buildCurveSet,
  buildScenarioMarkets,
  evePass,
  flowSpanDays,
  indexSchedules,
  nmdPlan,
  niiPass,
  parseIsoDate,
  resolveSettings,
  ScheduleCache,
  defaultSettings,
  syntheticBalanceSheet,
  type NmdAssumption,
} from '@almready/engine';

const POSITIONS = Number(process.env['BENCH_POSITIONS'] ?? 1_000_000);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 2);
const AS_OF = '2025-06-30';
const NMD: NmdAssumption[] = [
  { category: 'retail_transactional', stableShare: 0.8, coreShare: 0.7, averageMaturityYears: 4 },
  { category: 'retail_non_transactional', stableShare: 0.7, coreShare: 0.6, averageMaturityYears: 3.5 },
  { category: 'wholesale', stableShare: 0.5, coreShare: 0.4, averageMaturityYears: 2 },
];

export interface BenchRow {
  name: string;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
}

/** EVE (full, standardised) and NII totals per scenario: what the parts of a split run add up to. */
export interface BenchTotals {
  eveFull: number[];
  nii: number[];
  eveStandardised: number[];
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const total = (byGroup: Float64Array[][]): number[] => (byGroup[0] as Float64Array[]).map((values) => values.reduce((a, b) => a + b, 0));

/** The timed phases over the positions [from, to) of the synthetic book (all by default). */
export function benchPhases(positions = POSITIONS, range?: [number, number]): { rows: BenchRow[]; totals: BenchTotals } {
  const rows: BenchRow[] = [];
  const time = <T>(name: string, run: () => T): T => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const value = run();
    const used = process.cpuUsage(cpu);
    rows.push({ name, ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000), peakRssMb: peakRssMb() });
    return value;
  };

  const data = time(`loading (${positions.toLocaleString('en')} synthetic positions → columns)`, () => syntheticBalanceSheet({ positions, asOf: AS_OF, seed: 7 }));
  const built = buildCurveSet(data.curves);
  if (!built.ok) throw new Error('synthetic curves rejected');
  const p = data.positions;
  const settings = { ...defaultSettings(AS_OF), nmd: NMD };
  const resolved = resolveSettings(settings, p, built.curves);
  const asOf = parseIsoDate(AS_OF) as number;
  const context = time('setup (dimensions, NMD plan, 7 scenario markets)', () => {
    const plan = nmdPlan(asOf, NMD);
    const span = flowSpanDays(p, asOf, plan.maxMonths);
    return {
      plan,
      span,
      schedules: indexSchedules(data.schedules, p.length),
      dims: [baseDimension(p)],
      markets: buildScenarioMarkets(p, built.curves, resolved.scenarios, 'eu', span, false),
      scheduleCache: new ScheduleCache(asOf, asOf + span - 1),
    };
  });
  const [from, to] = range ?? [0, p.length];
  const common = { positions: p, schedules: context.schedules, asOf, markets: context.markets, dims: context.dims, nmd: context.plan, scheduleCache: context.scheduleCache, span: context.span, from, to };
  const full = time('EVE full (base + 6 scenarios)', () => evePass({ ...common, method: 'full' }));
  const nii = time('NII 12 months (base + 6 scenarios)', () => niiPass({ ...common, horizonMonths: 12, projectionMarkets: context.markets, balanceSheet: 'constant' }));
  const standardised = time('EVE standardised (base + 6 scenarios)', () => evePass({ ...common, method: 'standardised', reuse: full.dayFlows }));
  return { rows, totals: { eveFull: total(full.byGroup), nii: total(nii.byGroup), eveStandardised: total(standardised.byGroup) } };
}

export async function benchEngine(): Promise<BenchRow[]> {
  const { rows } = benchPhases();
  const wall = rows.reduce((sum, r) => sum + r.ms, 0);
  const cpuTotal = rows.reduce((sum, r) => sum + r.cpuMs, 0);
  rows.push({ name: 'total', ms: wall, cpuMs: cpuTotal, peakRssMb: peakRssMb() });
  return rows;
}

// Node 20 workers do not pick up `--import tsx` from execArgv: the worker registers tsx itself,
// then loads this file, which sees workerData and runs its range.
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;

/**
 * The same phases split over `workers` threads, each with its own contiguous range. Wall time from
 * spawning to the merged totals; CPU time of the whole process (all threads).
 */
export async function benchWorkers(workers = WORKERS): Promise<{ row: BenchRow; perWorker: BenchRow[][]; totals: BenchTotals }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const cut = (k: number): number => Math.round((POSITIONS * k) / workers);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, k) => {
      const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: { positions: POSITIONS, range: [cut(k), cut(k + 1)] } });
      return new Promise<{ rows: BenchRow[]; totals: BenchTotals }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }).finally(() => worker.terminate());
    }),
  );
  const add = (key: keyof BenchTotals): number[] => parts.map((r) => r.totals[key]).reduce((a, b) => a.map((x, s) => x + (b[s] as number)));
  const totals: BenchTotals = { eveFull: add('eveFull'), nii: add('nii'), eveStandardised: add('eveStandardised') };
  const used = process.cpuUsage(cpu);
  const row = { name: `total, ${workers} workers`, ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000), peakRssMb: peakRssMb() };
  return { row, perWorker: parts.map((r) => r.rows), totals };
}

const print = (r: BenchRow): void =>
  console.log(`${r.name.padEnd(52)} ${String(r.ms).padStart(8)} ${(Number.isNaN(r.cpuMs) ? '–' : String(r.cpuMs)).padStart(8)} ${String(r.peakRssMb).padStart(6)} MB`);

if (!isMainThread && (workerData as { range?: unknown } | null)?.range !== undefined) {
  const { positions, range } = workerData as { positions: number; range: [number, number] };
  // process.cpuUsage() counts every thread of the process, so a worker's own CPU is not measurable here (Node 20)
  const result = benchPhases(positions, range);
  parentPort?.postMessage({ ...result, rows: result.rows.map((r) => ({ ...r, cpuMs: Number.NaN })) });
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // wall time is what users wait; CPU time shows the engine's own cost on a shared machine
  console.log(`${'phase'.padEnd(52)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'peak RSS'.padStart(9)}`);
  const single = benchPhases();
  single.rows.forEach(print);
  print({ name: 'total', ms: single.rows.reduce((s, r) => s + r.ms, 0), cpuMs: single.rows.reduce((s, r) => s + r.cpuMs, 0), peakRssMb: peakRssMb() });
  if (WORKERS > 0) {
    const split = await benchWorkers();
    split.perWorker.forEach((rows, k) => rows.forEach((r) => print({ ...r, name: `  worker ${k + 1}: ${r.name}`.slice(0, 52) })));
    print(split.row);
    const worst = Math.max(
      ...(['eveFull', 'nii', 'eveStandardised'] as const).flatMap((key) => split.totals[key].map((v, s) => Math.abs(v - (single.totals[key][s] as number)) / Math.max(1, Math.abs(single.totals[key][s] as number)))),
    );
    console.log(`split totals vs single thread: largest relative difference ${worst.toExponential(1)}`);
  }
}
