import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../dates.ts';
import { Horizon } from './horizon.ts';
import { MonthSums } from './month-sums.ts';

const asOf = parseIsoDate('2025-06-30') as number;
const horizon = new Horizon(asOf, 12);

/** Day-by-day reference: each day offset in [lo, hi) ∩ [0, end) adds perDay to its month. */
function byDay(stretches: [number, number, number, number][], rows: number): Float64Array {
  const out = new Float64Array(rows * 12);
  for (const [r, perDay, lo, hi] of stretches) {
    for (let day = Math.max(0, lo); day < Math.min(hi, horizon.endOffset); day++) out[r * 12 + horizon.monthOf(day)]! += perDay;
  }
  return out;
}

describe('MonthSums', () => {
  // horizon months run from as_of to the same day of the next month: 30 Jun → 30 Jul (30 days), …,
  // 30 Jan → 28 Feb 2026 (29), 28 Feb → 30 Mar (30), …, 30 May → 30 Jun 2026 (31): 365 in all
  it('a whole-horizon stretch gives each month its days', () => {
    const sums = new MonthSums(horizon, 1);
    sums.add(0, 1, 0, horizon.endOffset);
    const out = new Float64Array(12);
    sums.finish(out);
    expect([...out]).toEqual([30, 31, 31, 30, 31, 30, 31, 29, 30, 31, 30, 31]);
  });

  it('matches a day-by-day sum for stretches inside a month, across months, clipped at both ends, and to the end', () => {
    const stretches: [number, number, number, number][] = [
      [0, 2.5, 3, 9], // inside July
      [1, -1.25, 20, 200], // across seven months
      [0, 0.1, -40, 15], // starts before as_of
      [1, 7, 300, 500], // runs past the horizon end
      [2, 3, 45, 46], // one day
    ];
    const sums = new MonthSums(horizon, 3);
    for (const [r, perDay, lo, hi] of stretches) sums.add(r, perDay, lo, hi);
    sums.addToEnd(2, 4, 100);
    const out = new Float64Array(36);
    sums.finish(out);
    const expected = byDay([...stretches, [2, 4, 100, 10_000]], 3);
    for (let k = 0; k < 36; k++) expect(out[k]).toBeCloseTo(expected[k] as number, 9);
    expect(out[2 * 12 + 1]).toBeCloseTo(3, 12); // the one day (offset 45 = 14 August) in August
  });

  it('adds into what the output already holds and ignores empty stretches', () => {
    const sums = new MonthSums(horizon, 1);
    sums.add(0, 5, 10, 10);
    sums.add(0, 5, 400, 420);
    sums.addToEnd(0, 5, horizon.endOffset);
    const out = new Float64Array(12).fill(1);
    sums.finish(out);
    expect([...out]).toEqual(new Array(12).fill(1));
  });
});
