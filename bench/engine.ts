/**
 * Engine benchmark: 1,000,000 synthetic positions (engine/src/synthetic.ts), timed phase by phase:
 * loading (building the columns), locality order (the order analyse() visits positions in), setup,
 * EVE full (base + 6 scenarios) and NII 12 months (base + 6) in the one pass analyse() shares between
 * them (BENCH_SEPARATE=1: two passes, timed apart),
 * EVE standardised (reusing the full pass's fixed-rate day aggregates). Target: all under 3 s and
 * 2 GB. `npx tsx bench/engine.ts` runs the book on one thread, then on 2 threads sharing one copy of
 * the columns (bench/engine-split.ts): the main thread loads once, a warm worker gets the columns
 * on SharedArrayBuffer, each phase's work is cut by estimated cost (balancedCut) and the parts add
 * up (methodology §6–§7). `BENCH_POSITIONS=200000` runs a smaller book; `BENCH_WORKERS=0` skips
 * the split (`BENCH_WORKERS=n`: n threads); `BENCH_ORDER=product` sorts the book by product first.
 * Each configuration runs in a process of its own (bench/engine-main.ts); the split's worker side is
 * bench/split-worker.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import {
  baseDimension,
  buildCurveSet,
  buildScenarioMarkets,
  evePass,
  flowSpanDays,
  inLocalityOrder,
  indexSchedules,
  nmdPlan,
  niiPass,
  NiiAccumulator,
  parseIsoDate,
  reorderBook,
  resolveSettings,
  ScheduleCache,
  defaultSettings,
  syntheticBalanceSheet,
  type CurveRow,
  type EveValues,
  type NiiValues,
  type NmdAssumption,
  type PositionColumns,
  type ScheduleColumns,
} from '@almready/engine';

export const POSITIONS = Number(process.env['BENCH_POSITIONS'] ?? 1_000_000);
const THREADS = Number(process.env['BENCH_WORKERS'] ?? 2);
export const SORTED = process.env['BENCH_ORDER'] === 'product';
/** BENCH_SEPARATE=1: EVE full and NII as two passes of their own (as before analyse() shared one) */
export const SEPARATE = process.env['BENCH_SEPARATE'] === '1';
export const TARGET_MS = 3_000;
export const TARGET_MB = 2_048;
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
  /** CPU ms of the timing thread alone (threadTimes), without V8's helper threads */
  ownCpuMs?: number;
  peakRssMb: number;
  /** split runs: each thread's own part, main thread first (CPU and wait ms of that thread alone) */
  parts?: { ms: number; cpuMs: number; waitMs: number }[];
}

/** EVE (full, standardised) and NII totals per scenario: what the parts of a split run add up to. */
export interface BenchTotals {
  eveFull: number[];
  nii: number[];
  eveStandardised: number[];
}

export interface Book {
  positions: PositionColumns;
  schedules: ScheduleColumns;
  curves: CurveRow[];
}

/**
 * The calling thread alone (process.cpuUsage() counts every thread, V8's helpers included): ms on
 * a CPU and ms ready but waiting for one (another process or thread had it), from the Linux
 * scheduler's /proc/thread-self/schedstat; NaN elsewhere.
 */
export function threadTimes(): { cpuMs: number; waitMs: number } {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { cpuMs: (run as number) / 1e6, waitMs: (wait as number) / 1e6 };
  } catch {
    return { cpuMs: Number.NaN, waitMs: Number.NaN };
  }
}

/** Runs `run` and appends its row: wall, process CPU, own thread CPU, peak RSS so far. */
export function timed<T>(rows: BenchRow[], name: string, run: () => T): T {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const own = threadTimes();
  const value = run();
  const used = process.cpuUsage(cpu);
  rows.push({ name, ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000), ownCpuMs: threadTimes().cpuMs - own.cpuMs, peakRssMb: peakRssMb() });
  return value;
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export const loadingName = (positions: number): string => `loading (${positions.toLocaleString('en')} synthetic positions → columns)`;

/** The synthetic book; with BENCH_ORDER=product sorted by product code (stable, like a bank extract). */
export function loadBook(positions: number, shared = false, seed = 7): Book {
  return syntheticBalanceSheet({ positions, asOf: AS_OF, seed, shared });
}

export function sortedIfAsked(book: Book): Book {
  if (!SORTED) return book;
  const codes = book.positions.product.codes;
  const order = Array.from({ length: book.positions.length }, (_, i) => i).sort((a, b) => (codes[a] as number) - (codes[b] as number));
  return { ...reorderBook(book.positions, book.schedules, order), curves: book.curves };
}

/** Rows [from, to) of the synthetic book of `positions` rows, built without the others (a loader's part of a split book). */
export function loadRows(positions: number, from: number, to: number, seed = 7, shared = false): Book {
  return syntheticBalanceSheet({ positions, asOf: AS_OF, seed, rows: { from, to }, shared });
}

/** The book in the order a run visits it (engine/src/locality.ts), without ids as analyse() does. */
export function inLocality(book: Book): Book {
  const ordered = inLocalityOrder(book.positions, book.schedules, false);
  return { positions: ordered.positions, schedules: ordered.schedules as ScheduleColumns, curves: book.curves };
}

/** What each thread computes once per run (setup phase): NMD plan, dimensions, 7 scenario markets. */
export type Run = ReturnType<typeof setupRun>;

export function setupRun(p: PositionColumns, schedules: ScheduleColumns, curveRows: CurveRow[]) {
  const built = buildCurveSet(curveRows);
  if (!built.ok) throw new Error('synthetic curves rejected');
  const resolved = resolveSettings({ ...defaultSettings(AS_OF), nmd: NMD }, p, built.curves);
  const asOf = parseIsoDate(AS_OF) as number;
  const plan = nmdPlan(asOf, NMD);
  const span = flowSpanDays(p, asOf, plan.maxMonths, 12);
  return {
    asOf,
    plan,
    span,
    schedules: indexSchedules(schedules, p.length),
    dims: [baseDimension(p)],
    markets: buildScenarioMarkets(p, built.curves, resolved.scenarios, 'eu', span, false),
    scheduleCache: new ScheduleCache(asOf, asOf + span - 1),
  };
}

const common = (run: Run, p: PositionColumns, from: number, to: number) => ({
  positions: p, schedules: run.schedules, asOf: run.asOf, markets: run.markets, dims: run.dims, nmd: run.plan, scheduleCache: run.scheduleCache, span: run.span, from, to,
});
export const eveFull = (run: Run, p: PositionColumns, from: number, to: number): EveValues => evePass({ ...common(run, p, from, to), method: 'full' });
export const niiTwelveMonths = (run: Run, p: PositionColumns, from: number, to: number) =>
  niiPass({ ...common(run, p, from, to), horizonMonths: 12, projectionMarkets: run.markets, balanceSheet: 'constant' });
/** EVE full and NII in one pass over the positions (evePass feeding a NiiAccumulator), as analyse() runs them. */
export const eveAndNii = (run: Run, p: PositionColumns, from: number, to: number): { full: EveValues; nii: NiiValues } => {
  const nii = new NiiAccumulator({ ...common(run, p, from, to), horizonMonths: 12, projectionMarkets: run.markets, balanceSheet: 'constant' });
  const full = evePass({ ...common(run, p, from, to), method: 'full', nii });
  return { full, nii: nii.finish() };
};
export const eveStandardised = (run: Run, p: PositionColumns, from: number, to: number, full: EveValues): EveValues =>
  evePass({ ...common(run, p, from, to), method: 'standardised', reuse: full.dayFlows });

/** Per-scenario sum over the groups of dimension 0. */
export const total = (byGroup: Float64Array[][]): number[] => (byGroup[0] as Float64Array[]).map((values) => values.reduce((a, b) => a + b, 0));

export const PHASES = {
  locality: 'locality order (as analyse() visits the positions)',
  setup: 'setup (dimensions, NMD plan, 7 scenario markets)',
  eveFull: 'EVE full (base + 6 scenarios)',
  nii: 'NII 12 months (base + 6 scenarios)',
  shared: 'EVE full + NII 12 months (base + 6 each, one shared pass)',
  eveStandardised: 'EVE standardised (base + 6 scenarios)',
} as const;

/** Times one phase: runs `run` under `name` and returns its value (how the time is kept is the caller's). */
export type PhaseTimer = <T>(name: string, run: () => T) => T;

/**
 * Every timed phase on one thread, as a run does them: loading (`load`; `untimed` then prepares the
 * loaded book outside the timing), locality order, setup, EVE full + NII (one shared pass, or two
 * with BENCH_SEPARATE=1), EVE standardised; the per-scenario totals of the book.
 */
export function runPhases(time: PhaseTimer, positions: number, load: () => Book, untimed: (book: Book) => Book = (book) => book): BenchTotals {
  const loaded = untimed(time(loadingName(positions), load));
  const book = time(PHASES.locality, () => inLocality(loaded));
  const p = book.positions;
  const run = time(PHASES.setup, () => setupRun(p, book.schedules, book.curves));
  let full: EveValues;
  let nii: NiiValues;
  if (SEPARATE) {
    full = time(PHASES.eveFull, () => eveFull(run, p, 0, p.length));
    nii = time(PHASES.nii, () => niiTwelveMonths(run, p, 0, p.length));
  } else ({ full, nii } = time(PHASES.shared, () => eveAndNii(run, p, 0, p.length)));
  const standardised = time(PHASES.eveStandardised, () => eveStandardised(run, p, 0, p.length, full));
  return { eveFull: total(full.byGroup), nii: total(nii.byGroup), eveStandardised: total(standardised.byGroup) };
}

/** The timed phases over the whole synthetic book on one thread (BENCH_ORDER=product: sorted first, untimed). */
export function benchPhases(positions = POSITIONS): { rows: BenchRow[]; totals: BenchTotals } {
  const rows: BenchRow[] = [];
  const totals = runPhases((name, run) => timed(rows, name, run), positions, () => loadBook(positions), sortedIfAsked);
  return { rows, totals };
}

export const totalRow = (rows: BenchRow[]): BenchRow => ({
  name: 'total',
  ms: rows.reduce((sum, r) => sum + r.ms, 0),
  cpuMs: rows.reduce((sum, r) => sum + r.cpuMs, 0),
  peakRssMb: Math.max(...rows.map((r) => r.peakRssMb)),
});

export async function benchEngine(): Promise<BenchRow[]> {
  const { rows } = benchPhases();
  return [...rows, totalRow(rows)];
}

if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  // no top-level await: engine-main.ts imports this module, which must finish evaluating first
  void import('./engine-main.ts')
    .then(({ main }) => main(THREADS))
    .then((code) => (process.exitCode = code))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
