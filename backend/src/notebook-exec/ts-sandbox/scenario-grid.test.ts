import { describe, expect, it } from 'vitest';
import { BUCKET_MIDPOINTS, REGULATORY_SCENARIO_IDS, cprMultiplier, scenarioById, tdrrMultiplier } from '@almready/engine';
import { derivedBehaviour, engineShockTimes, sampledShock } from './scenario-grid.ts';

describe('engine shock grid', () => {
  it('holds every day offset up to the horizon, the bucket midpoints and whole months, sorted once each', () => {
    const times = engineShockTimes(730);
    expect(times[0]).toBe(0);
    expect(times).toContain(1 / 365);
    expect(times).toContain(729 / 365);
    for (const t of BUCKET_MIDPOINTS) expect(times).toContain(t);
    expect(times).toContain(100); // 1200 months
    expect(new Set(times).size).toBe(times.length);
    expect(times.every((t, i) => i === 0 || t > (times[i - 1] as number))).toBe(true);
  });

  it('a sampled steepener equals the engine’s at every grid time, and is linear between them', () => {
    const steepener = scenarioById('steepener')!.shock('EUR');
    const times = engineShockTimes(365 * 30);
    const shock = sampledShock(times, times.map(steepener));
    for (const t of times) expect(shock(t)).toBe(steepener(t));
    const [a, b] = [times[10] as number, times[11] as number];
    expect(shock((a + b) / 2)).toBeCloseTo((steepener(a) + steepener(b)) / 2, 15);
    expect(shock(-1)).toBe(steepener(0));
    expect(shock(1e6)).toBe(steepener(times.at(-1) as number));
  });

  it('refuses samples that cannot form a shock', () => {
    expect(() => sampledShock([], [])).toThrow('one shift per time');
    expect(() => sampledShock([0, 1], [0.01])).toThrow('one shift per time');
    expect(() => sampledShock([1, 1], [0, 0])).toThrow('increase strictly');
  });
});

describe('the behaviour a custom shock gets by default', () => {
  const times = engineShockTimes(365 * 30);
  const sampled = (shock: (t: number, ccy: string) => number, currencies = ['EUR', 'USD']) =>
    Object.fromEntries(currencies.map((ccy) => [ccy, times.map((t) => shock(t, ccy))]));

  it('is the regulatory scenario\'s own multipliers for each of the six shapes sampled as a custom shock', () => {
    const expected: Record<string, string> = {
      parallel_up: 'parallel_up', parallel_down: 'parallel_down', steepener: 'steepener', flattener: 'flattener',
      short_up: 'parallel_up', short_down: 'parallel_down', // same multipliers as the parallel ones
    };
    for (const id of REGULATORY_SCENARIO_IDS) {
      const scenario = scenarioById(id)!;
      const behaviour = derivedBehaviour(times, sampled((t, ccy) => scenario.shock(ccy)(t)));
      expect(behaviour, id).toBe(expected[id]);
      expect([cprMultiplier(behaviour), tdrrMultiplier(behaviour)], id).toEqual([cprMultiplier(id), tdrrMultiplier(id)]);
    }
  });

  it('follows the short and the long end; no move is neutral; currencies are summed', () => {
    expect(derivedBehaviour(times, sampled(() => 0))).toBe('neutral');
    expect(derivedBehaviour(times, sampled(() => 1e-14))).toBe('neutral');
    expect(derivedBehaviour(times, sampled((t) => (t < 5 ? 0 : 0.01)))).toBe('parallel_up'); // long up, short still
    expect(derivedBehaviour(times, sampled((t) => (t < 5 ? 0 : -0.01)))).toBe('parallel_down');
    expect(derivedBehaviour(times, sampled((t) => (t < 5 ? -0.01 : 0.01)))).toBe('steepener');
    expect(derivedBehaviour(times, sampled((t) => (t < 5 ? 0.01 : -0.01)))).toBe('flattener');
    // EUR up 1%, USD down 0.5%: up in sum
    expect(derivedBehaviour(times, sampled((_, ccy) => (ccy === 'EUR' ? 0.01 : -0.005)))).toBe('parallel_up');
  });
});
