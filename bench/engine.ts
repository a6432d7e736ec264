/**
 * Engine benchmark: 1,000,000 synthetic positions (engine/src/synthetic.ts), timed phase by phase
 * in one process: loading (building the columns), EVE full (base + 6 scenarios), NII 12 months
 * (base + 6), EVE standardised. Target: all under 3 s and 2 GB, single-threaded.
 * `npx tsx bench/engine.ts` prints a table.
 */
import { fileURLToPath } from 'node:url';
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
const AS_OF = '2025-06-30';
const NMD: NmdAssumption[] = [
  { category: 'retail_transactional', stableShare: 0.8, coreShare: 0.7, averageMaturityYears: 4 },
  { category: 'retail_non_transactional', stableShare: 0.7, coreShare: 0.6, averageMaturityYears: 3.5 },
  { category: 'wholesale', stableShare: 0.5, coreShare: 0.4, averageMaturityYears: 2 },
];

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export async function benchEngine(): Promise<{ name: string; ms: number; cpuMs: number; peakRssMb: number }[]> {
  const rows: { name: string; ms: number; cpuMs: number; peakRssMb: number }[] = [];
  const time = <T>(name: string, run: () => T): T => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const value = run();
    const used = process.cpuUsage(cpu);
    rows.push({ name, ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000), peakRssMb: peakRssMb() });
    return value;
  };

  const data = time(`loading (${POSITIONS.toLocaleString('en')} synthetic positions → columns)`, () => syntheticBalanceSheet({ positions: POSITIONS, asOf: AS_OF, seed: 7 }));
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
  const common = { positions: p, schedules: context.schedules, asOf, markets: context.markets, dims: context.dims, nmd: context.plan, scheduleCache: context.scheduleCache };
  time('EVE full (base + 6 scenarios)', () => evePass({ ...common, method: 'full', span: context.span }));
  time('NII 12 months (base + 6 scenarios)', () =>
    niiPass({ ...common, horizonMonths: 12, projectionMarkets: context.markets, span: context.span, balanceSheet: 'constant' }),
  );
  time('EVE standardised (base + 6 scenarios)', () => evePass({ ...common, method: 'standardised', span: context.span }));
  const total = rows.reduce((sum, r) => sum + r.ms, 0);
  const cpuTotal = rows.reduce((sum, r) => sum + r.cpuMs, 0);
  rows.push({ name: 'total', ms: total, cpuMs: cpuTotal, peakRssMb: peakRssMb() });
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchEngine();
  // wall time is what users wait; CPU time shows the engine's own cost on a shared machine
  console.log(`${'phase'.padEnd(52)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'peak RSS'.padStart(9)}`);
  for (const r of rows) console.log(`${r.name.padEnd(52)} ${String(r.ms).padStart(8)} ${String(r.cpuMs).padStart(8)} ${String(r.peakRssMb).padStart(6)} MB`);
}
