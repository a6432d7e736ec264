import { describe, expect, it } from 'vitest';
import { chartOptions, pivot, waterfallRows } from './chartOptions.ts';

const rows = [
  { ccy: 'EUR', side: 'asset', n: 10 }, { ccy: 'EUR', side: 'liability', n: -4 },
  { ccy: 'USD', side: 'asset', n: 3 }, { ccy: 'USD', side: 'asset', n: 2 },
];

describe('chart cell options', () => {
  it('pivots a series column into one bar series per value', () => {
    expect(pivot(rows, 'ccy', 'side', 'n')).toEqual({ data: [{ ccy: 'EUR', asset: 10, liability: -4 }, { ccy: 'USD', asset: 5 }], keys: ['asset', 'liability'] });
    const options = chartOptions({ data: 'r', type: 'stacked-bar', x: 'ccy', y: 'n', series: 'side' }, rows);
    const series = options.series as { type: string; yKey: string; stacked?: boolean }[];
    expect(series.map((s) => [s.type, s.yKey, s.stacked])).toEqual([['bar', 'asset', true], ['bar', 'liability', true]]);
  });

  it('draws several y columns as lines, one series each', () => {
    const options = chartOptions({ data: 'r', type: 'line', x: 'month', y: ['nii_base', 'nii_up'] }, [{ month: 1, nii_base: 5, nii_up: '6' }]);
    expect((options.series as { type: string; yKey: string }[]).map((s) => `${s.type}:${s.yKey}`)).toEqual(['line:nii_base', 'line:nii_up']);
    expect(options.data).toEqual([{ month: 1, nii_base: 5, nii_up: 6 }]);
  });

  it('builds a waterfall of running totals, a step across zero drawn both ways from zero', () => {
    const steps = waterfallRows([{ s: 'a', v: 100 }, { s: 'b', v: -30 }, { s: 'c', v: -120 }, { s: 'd', v: 20 }], 's', 'v');
    expect(steps.map((r) => r.end)).toEqual([100, 70, -50, -30]);
    // a: 0 → 100 up; b: 100 → 70 down, floating on 70; c: 70 → -50 crosses zero; d: -50 → -30 up below zero
    expect(steps[0]).toMatchObject({ basePos: 0, risePos: 100, fallPos: 0 });
    expect(steps[1]).toMatchObject({ basePos: 70, fallPos: 30, risePos: 0 });
    expect(steps[2]).toMatchObject({ basePos: 0, fallPos: 70, baseNeg: 0, fallNeg: -50 });
    expect(steps[3]).toMatchObject({ baseNeg: -30, riseNeg: -20, risePos: 0 });
    const options = chartOptions({ data: 'r', type: 'waterfall', x: 's', y: 'v' }, [{ s: 'a', v: 1 }]);
    expect((options.series as { stackGroup?: string }[]).every((s) => s.stackGroup === 'w')).toBe(true);
  });
});
