/**
 * Seeded random books for the reference property tests (reference.test.ts): every amortisation,
 * fixed and floating, every day count and payment frequency, stubs, month ends, 29 February,
 * forward starts, matured rows, contracts maturing inside the NII horizon, behaviour on and off,
 * EUR and USD. The same seed gives the same book on every machine (mulberry32).
 */
import type { NmdAssumption } from '../behaviour.ts';
import type { CurveRow } from '../curve-set.ts';
import { DAY_COUNTS, NMD_CATEGORIES, type PositionRecord } from '../positions.ts';
import { daysInMonth, dayOf, formatDay, parseDay, ymdOf } from './calendar.ts';
import type { ScheduleRow } from './position.ts';

export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const between = (r: Random, lo: number, hi: number): number => lo + (hi - lo) * r();
const chance = (r: Random, p: number): boolean => r() < p;

const TENORS = ['ON', '1M', '3M', '6M', '1Y', '2Y', '5Y', '10Y', '30Y'];

/**
 * Four curves (EUR and USD, an OIS discount curve and a 3M projection curve each). `level` moves
 * the whole market: low levels put the base below the EU lower bound at the short end, so both
 * branches of the §4 floor are taken.
 */
export function randomCurves(r: Random, level: number): CurveRow[] {
  const rows: CurveRow[] = [];
  for (const [id, basis] of [['EUR_ESTR_OIS', 0], ['EUR_EURIBOR_3M', 0.0015], ['USD_SOFR_OIS', 0.01], ['USD_SOFR_3M', 0.0115]] as const) {
    const slope = between(r, -0.004, 0.012);
    TENORS.forEach((tenor, k) => rows.push({ curve_id: id, tenor, rate: Number((level + basis + (slope * k) / TENORS.length + between(r, -0.001, 0.001)).toFixed(6)) }));
  }
  return rows;
}

/** A date near `asOf + days`, sometimes moved to a month end or to the end of February. */
function randomDate(r: Random, asOf: number, days: number): number {
  const d = Math.round(asOf + days);
  const roll = r();
  const { year, month } = ymdOf(d);
  if (roll < 0.15) return dayOf(year, month, daysInMonth(year, month));
  if (roll < 0.22) return dayOf(year, 2, daysInMonth(year, 2));
  if (roll < 0.27) return dayOf(year, month, Math.min(30, daysInMonth(year, month)));
  return d;
}

export interface BookOptions {
  asOf: string;
  count: number;
  /** share of floating contracts */
  floating?: number;
  /** longest maturity in years */
  maxYears?: number;
  amortizations?: readonly PositionRecord['amortization'][];
  /** payment frequencies to draw from */
  paymentMonths?: readonly number[];
  resetMonths?: readonly number[];
}

export interface RandomBook {
  positions: PositionRecord[];
  schedules: ScheduleRow[];
}

export function randomBook(r: Random, o: BookOptions, prefix: string): RandomBook {
  const asOf = parseDay(o.asOf);
  const positions: PositionRecord[] = [];
  const schedules: ScheduleRow[] = [];
  const amortizations = o.amortizations ?? ['bullet', 'linear', 'annuity', 'scheduled', 'non_maturing'];
  for (let k = 0; k < o.count; k++) {
    const id = `${prefix}${k}`;
    const amortization = pick(r, amortizations);
    const side = chance(r, 0.6) ? 'asset' : 'liability';
    const currency = chance(r, 0.65) ? 'EUR' : 'USD';
    const dayCount = pick(r, DAY_COUNTS);
    const notional = Math.round(between(r, 1_000, 5_000_000) * 100) / 100;
    const rate = Number(between(r, -0.002, 0.07).toFixed(5));
    if (amortization === 'non_maturing') {
      positions.push({
        position_id: id, side: 'liability', product: 'deposit', currency, notional, amortization, rate_type: 'fixed',
        rate: Number(between(r, 0, 0.02).toFixed(5)), day_count: dayCount,
        nmd_category: chance(r, 0.85) ? pick(r, NMD_CATEGORIES) : undefined,
      });
      continue;
    }
    const maturity = randomDate(r, asOf, chance(r, 0.05) ? between(r, -60, 0) : between(r, 1, 365 * (o.maxYears ?? 25)));
    const startRoll = r();
    const start = startRoll < 0.2 ? undefined : startRoll < 0.3 ? randomDate(r, asOf, between(r, 1, 120)) : randomDate(r, asOf, -between(r, 1, 365 * 8));
    if (start !== undefined && start >= maturity) {
      k--;
      continue;
    }
    const paymentMonths = chance(r, 0.1) ? undefined : pick(r, o.paymentMonths ?? [1, 2, 3, 4, 6, 12]);
    const floating = chance(r, o.floating ?? 0.4);
    const record: PositionRecord = {
      position_id: id, side, product: `${amortization}-${floating ? 'floating' : 'fixed'}`, currency, notional,
      start_date: start === undefined ? undefined : formatDay(start), maturity_date: formatDay(maturity),
      amortization, rate_type: floating ? 'floating' : 'fixed', rate, day_count: dayCount, payment_frequency_months: paymentMonths,
    };
    if (chance(r, 0.35)) {
      const annual = Number(between(r, 0.01, 0.25).toFixed(4));
      if (side === 'asset') record.cpr = annual;
      else record.tdrr = annual;
    }
    if (floating) {
      const resetMonths = pick(r, o.resetMonths ?? [1, 3, 6, 12]);
      record.index = currency === 'EUR' ? 'EUR_EURIBOR_3M' : 'USD_SOFR_3M';
      record.spread = Number(between(r, -0.005, 0.03).toFixed(5));
      record.reset_frequency_months = chance(r, 0.1) ? undefined : resetMonths;
      const resetRoll = r();
      // a next reset inside the next period, missing (the first payment date) or already past (rolled forward)
      const first = start !== undefined && start > asOf ? start : asOf; // a forward start fixes at or after its start
      if (resetRoll < 0.75) record.next_reset_date = formatDay(Math.max(first + 1, randomDate(r, first, between(r, 1, 30 * resetMonths))));
      else if (resetRoll < 0.85 && first === asOf) record.next_reset_date = formatDay(asOf - Math.round(between(r, 0, 200)));
      if (chance(r, 0.25)) record.floor = pick(r, [0, 0.01, 0.03, -0.005]);
      if (chance(r, 0.2)) record.cap = pick(r, [0.02, 0.04, 0.08]);
    }
    positions.push(record);
    if (amortization === 'scheduled') {
      const rows = Math.floor(between(r, 0, 5));
      const first = start ?? asOf - 400;
      for (let j = 0; j < rows; j++) {
        const date = randomDate(r, first, between(r, 0, Math.max(1, maturity - first + 200)));
        schedules.push({ position_id: id, date: formatDay(date), principal: Math.round(notional * between(r, 0.05, 0.5)) });
      }
    }
  }
  return { positions, schedules };
}

/** NMD assumptions within the §5 caps for every category. */
export function randomNmdAssumptions(r: Random): NmdAssumption[] {
  const caps = { retail_transactional: [0.9, 5], retail_non_transactional: [0.7, 4.5], wholesale: [0.5, 4] } as const;
  return NMD_CATEGORIES.map((category) => ({
    category,
    stableShare: Number(between(r, 0.3, 1).toFixed(3)),
    coreShare: Number(between(r, 0.1, caps[category][0]).toFixed(3)),
    averageMaturityYears: Number(between(r, 0.05, caps[category][1]).toFixed(2)),
  }));
}

