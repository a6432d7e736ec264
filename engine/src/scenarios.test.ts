import { describe, expect, it } from 'vitest';
import { buildCurveSet } from './curve-set.ts';
import {
  customScenario,
  parallelScenarios,
  rampFactor,
  rampScenarios,
  regulatoryScenarios,
  REGULATORY_SCENARIO_IDS,
  scenarioById,
  scenarioCurveSet,
  ScenarioDefinitionError,
  UnknownCurrencyError,
} from './scenarios.ts';

const MIDPOINTS = [0.0028, 0.0417, 0.1667, 0.375, 0.625, 0.875, 1.25, 1.75, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 12.5, 17.5, 25];

// EUR: R_par 200bp, R_short 250bp, R_long 100bp, written out from BCBS d368 ¶ on shock shapes.
const EXPECTED: Record<string, (t: number) => number> = {
  parallel_up: () => 0.02,
  parallel_down: () => -0.02,
  short_up: (t) => 0.025 * Math.exp(-t / 4),
  short_down: (t) => -0.025 * Math.exp(-t / 4),
  steepener: (t) => -0.65 * 0.025 * Math.exp(-t / 4) + 0.9 * 0.01 * (1 - Math.exp(-t / 4)),
  flattener: (t) => 0.8 * 0.025 * Math.exp(-t / 4) - 0.6 * 0.01 * (1 - Math.exp(-t / 4)),
};

describe('regulatory scenarios', () => {
  it('are the six §4 shapes in order', () => {
    expect(regulatoryScenarios().map((s) => s.id)).toEqual([...REGULATORY_SCENARIO_IDS]);
    expect(regulatoryScenarios().every((s) => s.floorable && s.rampMonths === 0)).toBe(true);
  });

  it('match the formulas at the 19 bucket midpoints for EUR', () => {
    let checked = 0;
    for (const scenario of regulatoryScenarios()) {
      const shock = scenario.shock('EUR');
      const expected = EXPECTED[scenario.id] as (t: number) => number;
      for (const t of MIDPOINTS) {
        expect(shock(t), `${scenario.id} at ${t}`).toBeCloseTo(expected(t), 15);
        checked++;
      }
    }
    expect(checked).toBe(114);
  });

  it('hit known values', () => {
    const [, , steepener, flattener] = regulatoryScenarios();
    // Steepener EUR at 25Y: −0.01625·e^(−6.25) + 0.009·(1 − e^(−6.25)) = 0.00895126 (python math.exp)
    expect(steepener?.shock('EUR')(25)).toBeCloseTo(0.00895126, 8);
    // Flattener USD at 0.0028Y: 0.8·0.03·e^(−0.0007) − 0.6·0.015·(1 − e^(−0.0007)) = 0.02397691 (python math.exp)
    expect(flattener?.shock('USD')(0.0028)).toBeCloseTo(0.02397691, 8);
  });

  it('throw a typed error naming an unknown currency', () => {
    const up = regulatoryScenarios()[0];
    expect(() => up?.shock('NOK')).toThrow(UnknownCurrencyError);
    expect(() => up?.shock('NOK')).toThrow(/"NOK"/);
  });
});

describe('parallel, ramp and custom scenarios', () => {
  it('build US-style shocks with bp in the id', () => {
    const all = parallelScenarios();
    expect(all.map((s) => s.id)).toEqual([
      'parallel_up_100', 'parallel_down_100', 'parallel_up_200', 'parallel_down_200',
      'parallel_up_300', 'parallel_down_300', 'parallel_up_400', 'parallel_down_400',
    ]);
    expect(all[7]?.shock('NOK')(3)).toBeCloseTo(-0.04, 15);
  });

  it('refuse bp that are not whole and positive, and empty ramps', () => {
    expect(() => parallelScenarios([100, -50])).toThrow(/got -50/);
    expect(() => parallelScenarios([12.5])).toThrow(ScenarioDefinitionError);
    expect(() => rampScenarios([100], 0)).toThrow(/months ≥ 1, got 0/);
    expect(rampScenarios([50], 6).map((s) => [s.id, s.rampMonths])).toEqual([['ramp_up_50', 6], ['ramp_down_50', 6]]);
  });

  it('ramp linearly over 12 months for NII', () => {
    const [up100, , , down200] = rampScenarios();
    expect(up100?.id).toBe('ramp_up_100');
    expect(down200?.id).toBe('ramp_down_200');
    expect(down200?.shock('EUR')(1)).toBeCloseTo(-0.02, 15);
    expect(down200?.rampMonths).toBe(12);
    if (!down200) return;
    expect(rampFactor(down200, 3)).toBe(0.25);
    expect(rampFactor(down200, 18)).toBe(1);
    expect(rampFactor(regulatoryScenarios()[0]!, 0)).toBe(1);
  });

  it('interpolate a tenor → bp table linearly, flat outside', () => {
    const s = customScenario('twist', 'Twist', { '1Y': -50, '3M': 0, '10Y': 100 });
    const shock = s.shock('EUR');
    expect(shock(0.1)).toBe(0);
    expect(shock(0.625)).toBeCloseTo(-0.0025, 15);
    expect(shock(5.5)).toBeCloseTo(0.0025, 15);
    expect(shock(30)).toBeCloseTo(0.01, 15);
    expect(customScenario('fn', 'Fn', (t) => t / 1000).shock('JPY')(2)).toBe(0.002);
  });

  it('refuse an unreadable table', () => {
    expect(() => customScenario('bad', 'Bad', { '3Q': 10 })).toThrow(ScenarioDefinitionError);
    expect(() => customScenario('bad', 'Bad', { '12M': 10, '1Y': 20 })).toThrow(/12M and 1Y/);
    expect(() => customScenario('bad', 'Bad', {})).toThrow(/at least one/);
  });

  it('resolve by id', () => {
    expect(scenarioById('flattener')?.label).toBe('Flattener');
    expect(scenarioById('parallel_down_250')?.shock('EUR')(1)).toBeCloseTo(-0.025, 15);
    expect(scenarioById('ramp_up_300')?.rampMonths).toBe(12);
    expect(scenarioById('base')?.shock('XXX')(5)).toBe(0);
    expect(scenarioById('parallel_sideways')).toBeUndefined();
    expect(scenarioById('parallel_up_0')).toBeUndefined();
  });
});

describe('scenarioCurveSet', () => {
  it('shocks every curve of a currency and keeps the basis', () => {
    const built = buildCurveSet([
      { curve_id: 'EUR_ESTR_OIS', tenor: '1Y', rate: -0.005 },
      { curve_id: 'EUR_EURIBOR_3M', tenor: '1Y', rate: 0.001 },
    ]);
    if (!built.ok) throw new Error('fixture');
    const down = scenarioById('parallel_down') as NonNullable<ReturnType<typeof scenarioById>>;
    const eu = scenarioCurveSet(built.curves, down, 'eu');
    expect(eu.discountCurve('EUR')?.zero(1)).toBeCloseTo(-0.0147, 15);
    expect(eu.get('EUR_EURIBOR_3M')?.zero(1)).toBeCloseTo(-0.0147, 15);
    const bcbs = scenarioCurveSet(built.curves, down, 'none');
    expect(bcbs.get('EUR_EURIBOR_3M')?.zero(1)).toBeCloseTo(-0.019, 15);
    expect(bcbs.discountCurveId('EUR')).toBe('EUR_ESTR_OIS');
  });
});
