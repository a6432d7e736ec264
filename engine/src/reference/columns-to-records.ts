/**
 * Canonical records back from columns (the synthetic bank builds columns): what the reference
 * reads, so the bench's own book can be checked against it.
 */
import { formatIsoDate } from '../dates.ts';
import { AMORTIZATIONS, DAY_COUNTS, NMD_CATEGORIES, NO_DATE, RATE_TYPES, type PositionColumns, type PositionRecord, type ScheduleColumns } from '../positions.ts';
import type { ScheduleRow } from './position.ts';

const date = (d: number): string | undefined => (d === NO_DATE ? undefined : formatIsoDate(d));
const given = (x: number): number | undefined => (Number.isNaN(x) ? undefined : x);

export function recordsOf(p: PositionColumns, s: ScheduleColumns | undefined): { positions: PositionRecord[]; schedules: ScheduleRow[] } {
  const positions = Array.from({ length: p.length }, (_, i): PositionRecord => {
    const floating = p.rateType[i] === 1;
    const category = p.nmdCategory[i] as number;
    return {
      position_id: p.id[i] as string,
      side: (p.side[i] as number) > 0 ? 'asset' : 'liability',
      product: p.product.values[p.product.codes[i] as number] as string,
      currency: p.currency.values[p.currency.codes[i] as number] as string,
      notional: p.notional[i] as number,
      start_date: date(p.startDate[i] as number),
      maturity_date: date(p.maturityDate[i] as number),
      amortization: AMORTIZATIONS[p.amortization[i] as number] as PositionRecord['amortization'],
      rate_type: RATE_TYPES[p.rateType[i] as number] as PositionRecord['rate_type'],
      rate: p.rate[i] as number,
      index: floating ? p.index.values[p.index.codes[i] as number] : undefined,
      spread: p.spread[i] as number,
      payment_frequency_months: p.paymentFrequencyMonths[i] as number,
      reset_frequency_months: floating ? (p.resetFrequencyMonths[i] as number) : undefined,
      next_reset_date: floating ? date(p.nextResetDate[i] as number) : undefined,
      day_count: DAY_COUNTS[p.dayCount[i] as number],
      floor: given(p.floor[i] as number),
      cap: given(p.cap[i] as number),
      nmd_category: category < 0 ? undefined : NMD_CATEGORIES[category],
      cpr: given(p.cpr[i] as number),
      tdrr: given(p.tdrr[i] as number),
    };
  });
  const schedules: ScheduleRow[] = [];
  for (let k = 0; k < (s?.length ?? 0); k++) {
    const at = (s as ScheduleColumns).positionIndex[k] as number;
    schedules.push({ position_id: p.id[at] as string, date: formatIsoDate((s as ScheduleColumns).date[k] as number), principal: (s as ScheduleColumns).principal[k] as number });
  }
  return { positions, schedules };
}
