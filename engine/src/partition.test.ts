import { describe, expect, it } from 'vitest';
import { analyse } from './analyse.ts';
import { baseDimension } from './breakdown.ts';
import { flowSpanDays } from './cashflows/behaviour-rate.ts';
import { nmdPlan } from './cashflows/nmd-flows.ts';
import { buildScenarioMarkets } from './cashflows/scenario-market.ts';
import { indexSchedules } from './cashflows/schedule-index.ts';
import { buildCurveSet } from './curve-set.ts';
import { parseIsoDate } from './dates.ts';
import { evePass } from './eve/eve-pass.ts';
import { analysePartial, mergeAnalyses } from './partition.ts';
import { defaultSettings, resolveSettings, AnalysisInputError } from './settings.ts';
import { syntheticBalanceSheet } from './synthetic.ts';

const AS_OF = '2025-06-30';
const data = syntheticBalanceSheet({ positions: 3000, asOf: AS_OF, seed: 5 });
const built = buildCurveSet(data.curves);
if (!built.ok) throw new Error('synthetic curves rejected');
const curves = built.curves;
const nmd = [{ category: 'retail_transactional' as const, stableShare: 0.8, coreShare: 0.7, averageMaturityYears: 4 }];
const input = { positions: data.positions, schedules: data.schedules, curves, settings: { ...defaultSettings(AS_OF), nmd, breakdownBy: ['segment'], tier1: 2e8 } };

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(1e-9 * Math.abs(b), 1e-6);
}

describe('partitioned analysis', () => {
  it('three ranges merged give analyse() of the whole book', () => {
    const whole = analyse(input);
    const merged = mergeAnalyses(input, [analysePartial(input, 2000, 3000), analysePartial(input, 0, 1234), analysePartial(input, 1234, 2000)]);
    expect(close(merged.eve.base, whole.eve.base)).toBe(true);
    expect(Math.abs(whole.eve.base)).toBeGreaterThan(1e6);
    for (const id of whole.scenarios.slice(1)) {
      expect(close(merged.eve.scenarios[id]!.delta, whole.eve.scenarios[id]!.delta)).toBe(true);
      expect(close(merged.nii.scenarios[id]!.value, whole.nii.scenarios[id]!.value)).toBe(true);
    }
    expect(merged.eve.worst.scenario).toBe(whole.eve.worst.scenario);
    expect(merged.sot.eve.ratio).toBeCloseTo(whole.sot.eve.ratio as number, 9);
    merged.gap.forEach((row, k) => expect(close(row.cumulative_gap, whole.gap[k]!.cumulative_gap)).toBe(true));
    merged.eve.breakdown['segment']!.forEach((row, k) => expect(close(row.base, whole.eve.breakdown['segment']![k]!.base)).toBe(true));
    expect(merged.warnings).toEqual(whole.warnings);
  });

  it('refuses partials that leave a gap or overlap', () => {
    expect(() => mergeAnalyses(input, [analysePartial(input, 0, 1000), analysePartial(input, 1500, 3000)])).toThrow(AnalysisInputError);
    expect(() => analysePartial(input, 10, 5)).toThrow(/position range \[10, 5\)/);
  });
});

describe('standardised EVE reusing the full pass', () => {
  it('re-slotted fixed-rate day aggregates give the same EVE as regenerating them', () => {
    const p = data.positions;
    const asOf = parseIsoDate(AS_OF) as number;
    const plan = nmdPlan(asOf, nmd);
    const span = flowSpanDays(p, asOf, plan.maxMonths, 12);
    const markets = buildScenarioMarkets(p, curves, resolveSettings(defaultSettings(AS_OF), p, curves).scenarios, 'eu', span, false);
    const common = { positions: p, schedules: indexSchedules(data.schedules, p.length), asOf, markets, dims: [baseDimension(p)], nmd: plan, span };
    const full = evePass({ ...common, method: 'full' });
    expect(full.dayFlows).toBeDefined();
    const fresh = evePass({ ...common, method: 'standardised' });
    const reused = evePass({ ...common, method: 'standardised', reuse: full.dayFlows });
    fresh.byGroup[0]!.forEach((values, s) => values.forEach((v, g) => expect(close(reused.byGroup[0]![s]![g]!, v)).toBe(true)));
    fresh.byBucket.forEach((values, s) => values.forEach((v, k) => expect(close(reused.byBucket[s]![k]!, v)).toBe(true)));
    // a reuse from other markets is ignored, not misapplied
    const other = evePass({ ...common, markets: markets.slice(0, 2), method: 'standardised', reuse: full.dayFlows });
    expect(close(other.byGroup[0]![0]!.reduce((a, b) => a + b, 0), fresh.byGroup[0]![0]!.reduce((a, b) => a + b, 0))).toBe(true);
  });
});
