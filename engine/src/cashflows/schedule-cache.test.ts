import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../dates.ts';
import { NO_DATE } from '../positions.ts';
import { paymentSchedule } from '../schedule.ts';
import { ScheduleCache } from './schedule-cache.ts';

describe('ScheduleCache family views', () => {
  it('gives exactly paymentSchedule(asOf, maturity) for every maturity day over 31 years and frequencies 1, 3, 6, 12', () => {
    const asOf = parseIsoDate('2025-06-30') as number;
    const cache = new ScheduleCache(asOf, asOf + 31 * 366);
    let checked = 0;
    for (const frequency of [1, 3, 6, 12]) {
      for (let maturity = asOf + 1; maturity < asOf + 31 * 365; maturity += frequency === 1 ? 1 : 3) {
        const cached = cache.schedule(maturity, frequency, 2, NO_DATE);
        const direct = paymentSchedule(asOf, maturity, frequency, NO_DATE);
        if (cached.previousRoll !== direct.previousRoll || cached.dates.length !== direct.dates.length || cached.dates.some((d, k) => d !== direct.dates[k])) {
          throw new Error(`maturity ${maturity} frequency ${frequency}: ${cached.dates.slice(0, 3).join()} vs ${direct.dates.slice(0, 3).join()}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20000);
  });
});
