/**
 * The canonical positions and schedules schema of methodology.md §1.1 as one table of column
 * specs. Parsing, required-ness and the per-row rules are all derived from this file
 * (see position-rules.ts), so the CSV, XLSX, Parquet and bank-ZIP importers share one contract.
 */
import { AMORTIZATIONS, DAY_COUNTS, NMD_CATEGORIES, RATE_TYPES, SIDES } from '@almready/engine';

export type ColumnKind = 'text' | 'currency' | 'number' | 'date' | 'enum' | 'months';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** the header must map to this column (value required on every row too) */
  required: boolean;
  /** header spellings recognised without an explicit mapping (compared by `normaliseHeader`) */
  synonyms: readonly string[];
  /** enum columns: normalised spelling → canonical value */
  values?: Readonly<Record<string, string>>;
  /** number columns that arrive in percentage points in bank exports */
  percent?: boolean;
}

/** Header and enum comparison key: case, blanks, `_` and `-` ignored. */
export function normaliseHeader(text: string): string {
  return text.toLowerCase().replace(/[\s_\-]+/g, '');
}

function identity(values: readonly string[], extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) out[normaliseHeader(v)] = v;
  for (const [k, v] of Object.entries(extra)) out[normaliseHeader(k)] = v;
  return out;
}

/**
 * Day-count spellings seen in bank systems (formats.md). 30E/360 and other 30/360 variants are
 * folded into the engine's single 30/360 basis; the difference only shows on month-end dates.
 */
export const DAY_COUNT_SPELLINGS: Readonly<Record<string, string>> = (() => {
  const map: Record<string, string> = {};
  const add = (target: (typeof DAY_COUNTS)[number], spellings: string[]) => {
    for (const s of spellings) map[normaliseHeader(s)] = target;
  };
  add('ACT/360', ['ACT/360', 'A/360', 'Actual/360', 'ACT360', 'Money market']);
  add('ACT/365', ['ACT/365', 'ACT/365F', 'ACT/365 Fixed', 'A/365', 'A/365F', 'Actual/365', 'Actual/365F', 'Actual/365 Fixed', 'English']);
  add('30/360', ['30/360', '30E/360', '30/360 US', '30U/360', '30/360 ISDA', '30E/360 ISDA', '360/360', 'Bond basis', 'Eurobond basis']);
  add('ACT/ACT', ['ACT/ACT', 'ACT/ACT ISDA', 'Actual/Actual', 'Actual/Actual ISDA', 'A/A', 'ACT/ACT ICMA']);
  return map;
})();

export const POSITION_COLUMNS: readonly ColumnSpec[] = [
  { name: 'position_id', kind: 'text', required: true, synonyms: ['id', 'contract_id', 'contract', 'identifier', 'deal_id', 'account_id'] },
  {
    name: 'side', kind: 'enum', required: true, synonyms: ['asset_liability', 'direction', 'long_short', 'a_l', 'position'],
    values: identity(SIDES, { long: 'asset', a: 'asset', assets: 'asset', short: 'liability', l: 'liability', liabilities: 'liability', liab: 'liability' }),
  },
  { name: 'product', kind: 'text', required: false, synonyms: ['product_type', 'producto', 'instrument'] },
  { name: 'currency', kind: 'currency', required: true, synonyms: ['ccy', 'cur', 'moneda', 'moneda_original'] },
  { name: 'notional', kind: 'number', required: true, synonyms: ['outstanding', 'balance', 'principal', 'amount', 'outstanding_principal', 'nominal'] },
  { name: 'start_date', kind: 'date', required: false, synonyms: ['start', 'origination_date', 'value_date', 'issue_date'] },
  { name: 'maturity_date', kind: 'date', required: false, synonyms: ['maturity', 'end_date', 'expiry_date'] },
  {
    name: 'amortization', kind: 'enum', required: true, synonyms: ['amortisation', 'amortization_type', 'repayment_type', 'profile'],
    values: identity(AMORTIZATIONS, { nmd: 'non_maturing', nonmaturity: 'non_maturing', french: 'annuity', constant: 'linear' }),
  },
  {
    name: 'rate_type', kind: 'enum', required: true, synonyms: ['interest_type', 'fixed_floating', 'rate_kind'],
    values: identity(RATE_TYPES, { variable: 'floating', float: 'floating', fix: 'fixed' }),
  },
  { name: 'rate', kind: 'number', required: true, synonyms: ['coupon', 'interest_rate', 'coupon_rate', 'current_rate', 'last_adjusted_rate', 'indexed_rate'], percent: true },
  { name: 'index', kind: 'text', required: false, synonyms: ['index_curve', 'indexed_curve', 'reference_rate', 'curve'] },
  { name: 'spread', kind: 'number', required: false, synonyms: ['margin', 'interest_spread'], percent: true },
  { name: 'payment_frequency_months', kind: 'months', required: false, synonyms: ['frequency', 'payment_frequency', 'payment_period', 'interest_payment_period'] },
  { name: 'reset_frequency_months', kind: 'months', required: false, synonyms: ['reset_frequency', 'reset_period', 'repricing_frequency'] },
  { name: 'next_reset_date', kind: 'date', required: false, synonyms: ['next_reset', 'reset_date', 'reset_anchor_date', 'next_repricing_date'] },
  { name: 'day_count', kind: 'enum', required: false, synonyms: ['day_count_convention', 'basis', 'daycount'], values: DAY_COUNT_SPELLINGS },
  { name: 'floor', kind: 'number', required: false, synonyms: ['rate_floor', 'interest_rate_floor'], percent: true },
  { name: 'cap', kind: 'number', required: false, synonyms: ['rate_cap', 'interest_rate_cap'], percent: true },
  { name: 'nmd_category', kind: 'enum', required: false, synonyms: ['nmd_type', 'deposit_category'], values: identity(NMD_CATEGORIES) },
  { name: 'cpr', kind: 'number', required: false, synonyms: ['prepayment_rate'] },
  { name: 'tdrr', kind: 'number', required: false, synonyms: ['redemption_rate', 'early_redemption_rate'] },
];

export const SCHEDULE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'position_id', kind: 'text', required: true, synonyms: ['id', 'contract_id', 'contract', 'identifier'] },
  { name: 'date', kind: 'date', required: true, synonyms: ['payment_date', 'flow_date', 'cashflow_date'] },
  { name: 'principal', kind: 'number', required: true, synonyms: ['amount', 'principal_amount', 'repayment'] },
];

export const POSITION_COLUMN_NAMES = POSITION_COLUMNS.map((c) => c.name);
