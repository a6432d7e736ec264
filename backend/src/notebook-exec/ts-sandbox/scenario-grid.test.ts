import { describe, expect, it } from 'vitest';
import { BUCKET_MIDPOINTS, scenarioById } from '@almready/engine';
import { engineShockTimes, sampledShock } from './scenario-grid.ts';

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
