/**
 * Books built around the cases an independent check found wrong (non-maturing deposits in every
 * day count, short floaters renewing past maturity, floating scheduled contracts with rows before
 * their next reset, payment periods holding several resets) and the market of those reproductions.
 */
import type { CurveRow } from '../curve-set.ts';
import { DAY_COUNTS, NMD_CATEGORIES, type PositionRecord } from '../positions.ts';
import { addMonths, formatDay, parseDay } from './calendar.ts';
import type { ScheduleRow } from './position.ts';
import type { Random } from './random-book.ts';

/** The reproductions' curves: EUR OIS and EURIBOR 3M at ON, 3M, 1Y, 5Y, 30Y. */
export const REPRODUCTION_CURVES: CurveRow[] = [
  ...(
    [
      ['EUR_ESTR_OIS', [0.019, 0.0195, 0.0205, 0.024, 0.029]],
      ['EUR_EURIBOR_3M', [0.0205, 0.021, 0.022, 0.0255, 0.0305]],
    ] as const
  ).flatMap(([id, rates]) => ['ON', '3M', '1Y', '5Y', '30Y'].map((tenor, k) => ({ curve_id: id, tenor, rate: rates[k] as number }))),
];

const base = { product: 'case', currency: 'EUR' } as const;

/** One deposit per day count × category (and one without a category). */
export function nmdEveryDayCount(r: Random): PositionRecord[] {
  return DAY_COUNTS.flatMap((dayCount, d) =>
    [...NMD_CATEGORIES, undefined].map((category, c) => ({
      ...base,
      position_id: `N${d}${c}`,
      side: r() < 0.8 ? 'liability' : 'asset',
      notional: Math.round(1e6 * (0.2 + r())),
      amortization: 'non_maturing',
      rate_type: 'fixed',
      rate: Number((0.02 * r()).toFixed(5)),
      day_count: dayCount,
      nmd_category: category,
    })),
  );
}

/** Floaters maturing within months, re-fixing every 1–6 months: they renew again and again over long horizons. */
export function shortFloaters(r: Random, asOf: string, count: number): PositionRecord[] {
  const day = parseDay(asOf);
  return Array.from({ length: count }, (_, k) => {
    const reset = [1, 3, 6][k % 3] as number;
    const maturity = addMonths(day, 1 + (k % 9), k % 4 === 0) + (k % 5);
    const record: PositionRecord = {
      ...base,
      position_id: `F${k}`,
      side: k % 3 === 2 ? 'liability' : 'asset',
      currency: k % 4 === 3 ? 'USD' : 'EUR',
      notional: Math.round(1e6 * (0.1 + r())),
      start_date: formatDay(Math.min(addMonths(maturity, -reset - (k % 7), false), day - 1 - k)), // started: its next reset is its own
      maturity_date: formatDay(maturity),
      amortization: (['bullet', 'linear', 'annuity'] as const)[k % 3] ?? 'bullet',
      rate_type: 'floating',
      rate: Number((0.01 + 0.03 * r()).toFixed(5)),
      index: k % 4 === 3 ? 'USD_SOFR_3M' : 'EUR_EURIBOR_3M',
      spread: Number((0.004 * r()).toFixed(5)),
      payment_frequency_months: reset,
      reset_frequency_months: reset,
      next_reset_date: formatDay(Math.min(maturity, addMonths(day, 1 + (k % reset), false) - (k % 3))),
      day_count: DAY_COUNTS[k % 4],
    };
    if (k % 5 === 1) record.floor = 0.025;
    if (k % 7 === 2) record.cap = 0.02;
    if (k % 6 === 0) record.cpr = 0.1;
    return record;
  });
}

/** Floating scheduled contracts with schedule rows between the period start and the next reset (and later). */
export function scheduledFloaters(r: Random, asOf: string, count: number): { positions: PositionRecord[]; schedules: ScheduleRow[] } {
  const day = parseDay(asOf);
  const positions: PositionRecord[] = [];
  const schedules: ScheduleRow[] = [];
  for (let k = 0; k < count; k++) {
    const id = `S${k}`;
    const notional = Math.round(1e6 * (0.5 + r()));
    const maturity = addMonths(day, 18 + 3 * k, k % 3 === 0);
    const nextReset = addMonths(day, 2 + (k % 10), false) + (k % 4);
    positions.push({
      ...base,
      position_id: id,
      side: k % 4 === 3 ? 'liability' : 'asset',
      notional,
      start_date: formatDay(addMonths(day, -6 - k, false)),
      maturity_date: formatDay(maturity),
      amortization: 'scheduled',
      rate_type: 'floating',
      rate: Number((0.02 + 0.02 * r()).toFixed(5)),
      index: 'EUR_EURIBOR_3M',
      spread: 0.01,
      payment_frequency_months: [12, 6, 3][k % 3],
      reset_frequency_months: [12, 6, 3][(k + 1) % 3],
      next_reset_date: formatDay(nextReset),
      day_count: DAY_COUNTS[k % 4],
      tdrr: k % 4 === 3 ? 0.05 : undefined,
      cpr: k % 5 === 0 ? 0.08 : undefined,
    });
    // one row before the next reset, one after, sometimes one on the reset itself
    schedules.push({ position_id: id, date: formatDay(day + 5 + Math.floor(r() * (nextReset - day - 5))), principal: Math.round(notional * 0.3) });
    schedules.push({ position_id: id, date: formatDay(addMonths(nextReset, 7, false)), principal: Math.round(notional * 0.2) });
    if (k % 3 === 1) schedules.push({ position_id: id, date: formatDay(nextReset), principal: Math.round(notional * 0.1) });
  }
  return { positions, schedules };
}

/** Annual or semiannual payments re-fixing monthly or quarterly: several resets inside each payment period. */
export function manyResetsPerPeriod(r: Random, asOf: string, count: number): PositionRecord[] {
  const day = parseDay(asOf);
  return Array.from({ length: count }, (_, k) => ({
    ...base,
    position_id: `M${k}`,
    side: k % 3 === 1 ? 'liability' : 'asset',
    currency: k % 2 === 0 ? 'EUR' : 'USD',
    notional: Math.round(1e6 * (0.2 + r())),
    maturity_date: formatDay(addMonths(day, 7 + 5 * k, k % 4 === 1)),
    amortization: (['bullet', 'linear', 'annuity', 'bullet'] as const)[k % 4] ?? 'bullet',
    rate_type: 'floating',
    rate: Number((0.015 + 0.03 * r()).toFixed(5)),
    index: k % 2 === 0 ? 'EUR_EURIBOR_3M' : 'USD_SOFR_3M',
    spread: Number((0.01 * r()).toFixed(5)),
    payment_frequency_months: k % 2 === 0 ? 12 : 6,
    reset_frequency_months: k % 3 === 0 ? 3 : 1,
    next_reset_date: formatDay(day + 1 + Math.floor(r() * 28)),
    day_count: DAY_COUNTS[(k + 1) % 4],
    floor: k % 5 === 2 ? 0.02 : undefined,
    cap: k % 5 === 4 ? 0.025 : undefined,
    tdrr: k % 3 === 1 && k % 2 === 0 ? 0.06 : undefined,
  }));
}
