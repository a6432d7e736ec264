/**
 * Columnar positions (methodology.md §1.1). One index = one contract.
 * Dates are whole days since 1970-01-01 (UTC), `NO_DATE` where absent.
 * Optional decimals are NaN where absent. Strings are dictionary-encoded.
 */
export const NO_DATE = -2147483648;

export const AMORTIZATIONS = ['bullet', 'linear', 'annuity', 'scheduled', 'non_maturing'] as const;
export type Amortization = (typeof AMORTIZATIONS)[number];
export const RATE_TYPES = ['fixed', 'floating'] as const;
export type RateType = (typeof RATE_TYPES)[number];
export const DAY_COUNTS = ['ACT/360', 'ACT/365', '30/360', 'ACT/ACT'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];
export const NMD_CATEGORIES = ['retail_transactional', 'retail_non_transactional', 'wholesale'] as const;
export type NmdCategory = (typeof NMD_CATEGORIES)[number];
export const SIDES = ['asset', 'liability'] as const;
export type Side = (typeof SIDES)[number];

/** A string column stored as codes into a list of distinct values; code -1 = empty. */
export interface DictionaryColumn {
  codes: Int32Array;
  values: string[];
}

export interface PositionColumns {
  length: number;
  id: string[];
  /** +1 asset, −1 liability */
  side: Int8Array;
  product: DictionaryColumn;
  currency: DictionaryColumn;
  notional: Float64Array;
  startDate: Int32Array;
  maturityDate: Int32Array;
  /** index into AMORTIZATIONS */
  amortization: Uint8Array;
  /** index into RATE_TYPES */
  rateType: Uint8Array;
  rate: Float64Array;
  /** projection curve id of floating contracts (code −1 when fixed) */
  index: DictionaryColumn;
  spread: Float64Array;
  paymentFrequencyMonths: Uint16Array;
  /** 0 when not floating */
  resetFrequencyMonths: Uint16Array;
  nextResetDate: Int32Array;
  /** index into DAY_COUNTS */
  dayCount: Uint8Array;
  floor: Float64Array;
  cap: Float64Array;
  /** index into NMD_CATEGORIES, −1 when not a non-maturing deposit */
  nmdCategory: Int8Array;
  cpr: Float64Array;
  tdrr: Float64Array;
  /** any other input column, kept for filters and breakdowns */
  attributes: Record<string, DictionaryColumn>;
}

/** Scheduled principal flows (methodology §1.1), sorted by position index then date. */
export interface ScheduleColumns {
  length: number;
  positionIndex: Int32Array;
  date: Int32Array;
  principal: Float64Array;
}

/** One canonical position as plain values; what validators produce and builders consume. */
export interface PositionRecord {
  position_id: string;
  side: Side;
  product: string;
  currency: string;
  notional: number;
  start_date?: string | undefined;
  maturity_date?: string | undefined;
  amortization: Amortization;
  rate_type: RateType;
  rate: number;
  index?: string | undefined;
  spread?: number | undefined;
  payment_frequency_months?: number | undefined;
  reset_frequency_months?: number | undefined;
  next_reset_date?: string | undefined;
  day_count?: DayCount | undefined;
  floor?: number | undefined;
  cap?: number | undefined;
  nmd_category?: NmdCategory | undefined;
  cpr?: number | undefined;
  tdrr?: number | undefined;
  attributes?: Record<string, string> | undefined;
}
