/**
 * One contract as the reference reads it: the canonical record of methodology §1.1 with its
 * defaults applied and its dates as day numbers.
 */
import type { PositionRecord } from '../positions.ts';
import { parseDay, type DayCountName } from './calendar.ts';

export interface ScheduleRow {
  position_id: string;
  date: string;
  principal: number;
}

export interface Contract {
  id: string;
  /** §1.1: asset +1, liability −1 */
  sign: 1 | -1;
  currency: string;
  notional: number;
  start: number | undefined;
  maturity: number | undefined;
  amortization: PositionRecord['amortization'];
  floating: boolean;
  rate: number;
  index: string | undefined;
  spread: number;
  /** §1.1 default: 12 for bullets, 1 otherwise */
  paymentMonths: number;
  /** floating only; §1.1 leaves it to the contract, missing = the payment frequency */
  resetMonths: number;
  nextReset: number | undefined;
  /** §1.1 default ACT/365 */
  dayCount: DayCountName;
  floor: number | undefined;
  cap: number | undefined;
  nmdCategory: PositionRecord['nmd_category'];
  /** annual prepayment (assets) or early-redemption (liabilities) rate; 0 when none (§5) */
  behaviourRate: number;
  /** scheduled principal rows (§1.1 second table), by date */
  schedule: { date: number; principal: number }[];
}

const day = (iso: string | undefined): number | undefined => (iso === undefined || iso === '' ? undefined : parseDay(iso));

export function contractOf(r: PositionRecord, rows: readonly ScheduleRow[]): Contract {
  const paymentMonths = r.payment_frequency_months ?? (r.amortization === 'bullet' ? 12 : 1);
  const asset = r.side === 'asset';
  const behaviour = asset ? r.cpr : r.tdrr;
  return {
    id: r.position_id,
    sign: asset ? 1 : -1,
    currency: r.currency,
    notional: r.notional,
    start: day(r.start_date),
    maturity: day(r.maturity_date),
    amortization: r.amortization,
    floating: r.rate_type === 'floating',
    rate: r.rate,
    index: r.index,
    spread: r.spread ?? 0,
    paymentMonths,
    resetMonths: r.reset_frequency_months ?? paymentMonths,
    nextReset: day(r.next_reset_date),
    dayCount: r.day_count ?? 'ACT/365',
    floor: r.floor,
    cap: r.cap,
    nmdCategory: r.nmd_category,
    behaviourRate: behaviour !== undefined && behaviour > 0 ? behaviour : 0,
    schedule: rows
      .filter((s) => s.position_id === r.position_id)
      .map((s) => ({ date: parseDay(s.date), principal: s.principal }))
      .sort((a, b) => a.date - b.date),
  };
}
