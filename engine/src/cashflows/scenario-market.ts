import { behaviourId, cprMultiplier, tdrrMultiplier } from '../behaviour.ts';
import type { ZeroCurve } from '../curve.ts';
import type { CurveSet } from '../curve-set.ts';
import { shockedCurve, type FloorMode } from '../lower-bound.ts';
import type { PositionColumns } from '../positions.ts';
import { rampFactor, type Scenario } from '../scenarios.ts';

/**
 * One scenario's market, laid out for hot loops: discount factors by day offset from the analysis
 * date (t = days/365, methodology §2) per position currency code and per projection index code.
 */
export interface ScenarioMarket {
  scenario: Scenario;
  cprMultiplier: number;
  tdrrMultiplier: number;
  /** shocked discount curve per currency code (undefined for a currency without one) */
  discountCurve: (ZeroCurve | undefined)[];
  discount: Float64Array[];
  /** shocked projection curve grids per index code */
  projection: Float64Array[];
}

export function discountGrid(curve: ZeroCurve, days: number): Float64Array {
  const grid = new Float64Array(days);
  for (let d = 0; d < days; d++) grid[d] = curve.discount(d / 365);
  return grid;
}

/**
 * Shocked curve of a scenario (§4): the currency's shock, floored when the scenario is floorable.
 * With `ramp`, a ramp scenario's shock at time t is scaled by its ramp factor at t (NII, §7):
 * a curve whose shift grows with calendar time, so fixings and renewals later in the horizon see more of it.
 */
export function scenarioCurve(curve: ZeroCurve, scenario: Scenario, floor: FloorMode, ramp: boolean): ZeroCurve {
  const shock = scenario.shock(curve.currency);
  const mode: FloorMode = scenario.floorable ? floor : 'none';
  if (!ramp || scenario.rampMonths <= 0) return shockedCurve(curve, shock, mode);
  return shockedCurve(curve, (t) => rampFactor(scenario, 12 * t) * shock(t), mode);
}

export function buildScenarioMarkets(
  p: PositionColumns,
  curves: CurveSet,
  scenarios: readonly Scenario[],
  floor: FloorMode,
  days: number,
  ramp: boolean,
): ScenarioMarket[] {
  return scenarios.map((scenario) => {
    const discountCurve = p.currency.values.map((ccy) => {
      const base = curves.discountCurve(ccy);
      return base && scenarioCurve(base, scenario, floor, ramp);
    });
    // multipliers created as fractions (0.5), then set: a 1 would make the field a small integer,
    // and the first 0.8 would change the object's hidden class (generate.ts flowOptions)
    const market: ScenarioMarket = {
      scenario,
      cprMultiplier: 0.5,
      tdrrMultiplier: 0.5,
      discountCurve,
      discount: discountCurve.map((c) => (c ? discountGrid(c, days) : new Float64Array(0))),
      projection: p.index.values.map((id) => {
        const base = curves.get(id);
        return base ? discountGrid(scenarioCurve(base, scenario, floor, ramp), days) : new Float64Array(0);
      }),
    };
    // a custom scenario takes the multipliers of the behaviour it names (Scenario.behaviour)
    market.cprMultiplier = cprMultiplier(behaviourId(scenario));
    market.tdrrMultiplier = tdrrMultiplier(behaviourId(scenario));
    return market;
  });
}
