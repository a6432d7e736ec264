import { describe, expect, it } from 'vitest';
import { attributeDimension, baseDimension } from '../breakdown.ts';
import { flowSpanDays } from '../cashflows/behaviour-rate.ts';
import { nmdPlan } from '../cashflows/nmd-flows.ts';
import { buildScenarioMarkets } from '../cashflows/scenario-market.ts';
import { indexSchedules } from '../cashflows/schedule-index.ts';
import { buildCurveSet } from '../curve-set.ts';
import { parseIsoDate } from '../dates.ts';
import { NiiAccumulator } from '../nii/nii-accumulator.ts';
import { niiPass } from '../nii/nii-pass.ts';
import { defaultSettings, resolveSettings } from '../settings.ts';
import { syntheticBalanceSheet } from '../synthetic.ts';
import { evePass } from './eve-pass.ts';

// NII fed by the EVE pass's projections (evePass `nii`) must equal NII on its own pass: same
// contracts, same flows (captured from the fused floating kernel or re-projected), same sums.
const AS_OF = '2025-06-30';
const data = syntheticBalanceSheet({ positions: 4000, asOf: AS_OF, seed: 11 });
const built = buildCurveSet(data.curves);
if (!built.ok) throw new Error('synthetic curves rejected');
const curves = built.curves;
const p = data.positions;
const asOf = parseIsoDate(AS_OF) as number;
const nmd = [{ category: 'retail_non_transactional' as const, stableShare: 0.7, coreShare: 0.6, averageMaturityYears: 3 }];
const plan = nmdPlan(asOf, nmd);
const span = flowSpanDays(p, asOf, plan.maxMonths, 12);
const schedules = indexSchedules(data.schedules, p.length);

function compare(scenarioIds: string[], balanceSheet: 'constant' | 'runoff', byAttribute: boolean): number {
  const scenarios = resolveSettings({ ...defaultSettings(AS_OF), scenarios: scenarioIds }, p, curves).scenarios;
  const markets = buildScenarioMarkets(p, curves, scenarios, 'eu', span, false);
  const ramped = scenarios.some((s) => s.rampMonths > 0);
  const projectionMarkets = ramped ? buildScenarioMarkets(p, curves, scenarios, 'eu', span, true) : markets;
  const segment = attributeDimension(p, 'segment');
  if (segment === undefined) throw new Error('the synthetic book has a segment column');
  const dims = byAttribute ? [baseDimension(p), segment] : [baseDimension(p)];
  const common = { positions: p, schedules, asOf, markets, dims, nmd: plan, span, from: 150, to: 3900 };
  const niiInput = { ...common, horizonMonths: 12, projectionMarkets, balanceSheet };
  const alone = niiPass(niiInput);
  const accumulator = new NiiAccumulator(niiInput);
  const eveAlone = evePass({ ...common, method: 'full' });
  const eveShared = evePass({ ...common, method: 'full', nii: accumulator });
  const shared = accumulator.finish();
  let worst = 0;
  alone.byGroup.forEach((bySc, d) =>
    bySc.forEach((values, s) =>
      values.forEach((v, g) => {
        const w = shared.byGroup[d]![s]![g] as number;
        worst = Math.max(worst, Math.abs(w - v) / Math.max(1, Math.abs(v)));
        // EVE itself is untouched by feeding NII
        expect(eveShared.byGroup[d]![s]![g]).toBe(eveAlone.byGroup[d]![s]![g]);
      }),
    ),
  );
  alone.profile.forEach((months, s) => months.forEach((v, m) => (worst = Math.max(worst, Math.abs((shared.profile[s]![m] as number) - v) / Math.max(1, Math.abs(v))))));
  // a real book: NII is far from zero in every scenario
  for (const values of shared.byGroup[0]!) expect(Math.abs(values.reduce((a, b) => a + b, 0))).toBeGreaterThan(1e5);
  return worst;
}

describe('NII fed by the EVE pass', () => {
  it('equals NII on its own pass: regulatory scenarios, constant balance sheet (captured floating flows)', () => {
    expect(compare(['base', 'parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down'], 'constant', false)).toBeLessThan(1e-12);
  });
  it('equals NII on its own pass with ramp scenarios (floating re-projected on ramped curves)', () => {
    expect(compare(['base', 'parallel_up', 'ramp_up_200', 'ramp_down_200'], 'constant', false)).toBeLessThan(1e-12);
  });
  it('equals NII on its own pass on a run-off balance sheet with an attribute breakdown', () => {
    expect(compare(['base', 'parallel_down', 'short_up'], 'runoff', true)).toBeLessThan(1e-12);
  });
  it('refuses a standardised pass', () => {
    const markets = buildScenarioMarkets(p, curves, resolveSettings(defaultSettings(AS_OF), p, curves).scenarios, 'eu', span, false);
    const common = { positions: p, schedules, asOf, markets, dims: [baseDimension(p)], nmd: plan, span };
    const accumulator = new NiiAccumulator({ ...common, horizonMonths: 12, projectionMarkets: markets, balanceSheet: 'constant' });
    expect(() => evePass({ ...common, method: 'standardised', nii: accumulator })).toThrow(/full-method/);
  });
});
