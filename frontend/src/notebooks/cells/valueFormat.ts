/**
 * How notebook outputs show numbers: the view spec's `formats` (money, pct, bp, number, integer,
 * date, text), else a guess from the column name (a `rate` is a percentage, a `notional` money).
 * Percentages keep enough decimals to show the figure: a 0.05% rate is "0.05%", a 0.0012% one
 * "0.0012%", never "0.00%".
 */
import type { ValueFormat } from '@almready/notebooks';

const money = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });
const bpFormat = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 0, maximumFractionDigits: 2 });

/** Decimals a percentage needs: 2, more when the value would round to zero or lose its first digits (at most 6). */
function percentDecimals(percent: number): number {
  const abs = Math.abs(percent);
  if (abs === 0 || abs >= 0.01) return 2;
  // 0.0012 → first significant digit at the 3rd decimal → show 4 (two significant digits)
  const firstDigit = Math.ceil(-Math.log10(abs));
  return Math.min(6, firstDigit + 1);
}

export function formatPct(value: number): string {
  const percent = value * 100;
  const digits = percentDecimals(percent);
  return `${new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(percent)}%`;
}

export function formatBp(value: number): string {
  return `${bpFormat.format(value * 10_000)} bp`;
}

export function formatValue(value: unknown, format: ValueFormat | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    if (format === 'date' && typeof value === 'string') return value.slice(0, 10);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  switch (format) {
    case 'money': return money.format(value);
    case 'pct': return formatPct(value);
    case 'bp': return formatBp(value);
    case 'integer': return integer.format(value);
    case 'text': return String(value);
    case 'number': case 'date': case undefined:
      return Math.abs(value) >= 1000 ? money.format(value) : decimal.format(value);
  }
}

const RATE = /(^|_)(rate|yield|coupon|spread|ratio|pct|margin)(_|$)/i;
const BP = /(^|_)bps?(_|$)/i;
const MONEY = /(^|_)(notional|amount|balance|eve|nii|pv|delta|delta_eve|delta_nii|value|total|cashflow|interest|capital|tier1|outstanding|market_value|book_value)(_|$)/i;

/** The format a column gets when the spec gives none: by its name, for numeric columns only. */
export function guessFormat(column: string, numeric: boolean): ValueFormat | undefined {
  if (!numeric) return undefined;
  if (BP.test(column)) return 'number';
  if (RATE.test(column)) return 'pct';
  if (MONEY.test(column)) return 'money';
  return undefined;
}

/** Metrics and Markdown figures: the `format` a ts cell gave `alm.metric` ("money", "pct", "bp", "int", …). */
export function metricFormat(format: string | null): ValueFormat | undefined {
  switch (format) {
    case 'money': case 'pct': case 'bp': case 'number': case 'integer': case 'date': case 'text': return format;
    case 'int': return 'integer';
    default: return undefined;
  }
}
