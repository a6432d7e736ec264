import { describe, expect, it } from 'vitest';
import { outlierVerdict, scenarioImpacts } from './scenarioImpacts.ts';

const eveByCurrency = {
  columns: [{ name: 'scenario', type: 'VARCHAR' }, { name: 'currency', type: 'VARCHAR' }, { name: 'eve', type: 'DOUBLE' }],
  rows: [
    { scenario: 'base', currency: 'EUR', eve: 1_000 },
    { scenario: 'base', currency: 'USD', eve: 200 },
    { scenario: 'parallel_up', currency: 'EUR', eve: 880 },
    { scenario: 'parallel_up', currency: 'USD', eve: 190 },
    { scenario: 'parallel_down', currency: 'EUR', eve: 1_050 },
    { scenario: 'parallel_down', currency: 'USD', eve: 205 },
  ],
};

describe('scenarioImpacts', () => {
  it('sums currencies and measures Δ against base and Tier 1', () => {
    const impacts = scenarioImpacts(eveByCurrency, 'eve', 1_000);
    expect(impacts.map((i) => [i.scenario, i.value, i.delta])).toEqual([
      ['base', 1_200, 0],
      ['parallel_up', 1_070, -130],
      ['parallel_down', 1_255, 55],
    ]);
    expect(impacts[1]?.deltaOfTier1).toBeCloseTo(-0.13, 12);
  });

  it('uses the server delta column when there is one', () => {
    const table = {
      columns: [{ name: 'scenario', type: 'VARCHAR' }, { name: 'nii', type: 'DOUBLE' }, { name: 'delta_nii', type: 'DOUBLE' }],
      rows: [{ scenario: 'base', nii: 50, delta_nii: 0 }, { scenario: 'parallel_down', nii: 44, delta_nii: -6.5 }],
    };
    expect(scenarioImpacts(table, 'nii', 100).map((i) => i.delta)).toEqual([0, -6.5]);
  });

  it('answers nothing when the table has no scenario column', () => {
    expect(scenarioImpacts({ columns: [{ name: 'x', type: 'DOUBLE' }], rows: [{ x: 1 }] }, 'eve', 1)).toEqual([]);
  });
});

describe('outlierVerdict', () => {
  it('flags EVE beyond −15% of Tier 1 and passes within it', () => {
    expect(outlierVerdict(scenarioImpacts(eveByCurrency, 'eve', 800), 'eve').status).toBe('outlier'); // −130/800 = −16.25%
    const pass = outlierVerdict(scenarioImpacts(eveByCurrency, 'eve', 1_000), 'eve');
    expect(pass.status).toBe('pass');
    expect(pass.worst?.scenario).toBe('parallel_up');
  });

  it('tests NII on the parallel shocks only, and is unknown without Tier 1', () => {
    const impacts = [
      { scenario: 'base', value: 100, delta: 0, deltaOfTier1: 0 },
      { scenario: 'short_down', value: 80, delta: -20, deltaOfTier1: -0.2 },
      { scenario: 'parallel_down', value: 97, delta: -3, deltaOfTier1: -0.03 },
    ];
    expect(outlierVerdict(impacts, 'nii')).toMatchObject({ status: 'pass', worst: { scenario: 'parallel_down' } });
    expect(outlierVerdict(scenarioImpacts(eveByCurrency, 'eve', null), 'eve').status).toBe('unknown');
  });
});
