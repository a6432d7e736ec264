/**
 * Calendar arithmetic on integer epoch days (UTC days since 1970-01-01).
 * Pure integer algorithms (H. Hinnant's civil-from-days) so hot loops never allocate a Date.
 */

/** Days since 1970-01-01 of a proleptic Gregorian date; month 1..12. */
export function fromYmd(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function toYmd(day: number): { year: number; month: number; day: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? Number.NaN);
}

export function isEndOfMonth(day: number): boolean {
  const d = toYmd(day);
  return d.day === daysInMonth(d.year, d.month);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict `yyyy-mm-dd`; rejects impossible dates such as 2023-02-29 instead of rolling them over. */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return fromYmd(year, month, day);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatIsoDate(day: number): string {
  const d = toYmd(day);
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

/**
 * Shift by whole months. The day of month is clamped to the target month's length
 * (31 Jan + 1M = 28/29 Feb); with `endOfMonth` the result is always the target month's last day.
 */
export function addMonths(day: number, months: number, endOfMonth: boolean): number {
  const from = monthIndexOf(day);
  const dayOfMonth = day - monthStart(from) + 1;
  const target = from + months;
  const first = monthStart(target);
  const last = monthStart(target + 1) - first;
  return first + (endOfMonth || dayOfMonth > last ? last : dayOfMonth) - 1;
}

// Month starts for 1900..2300, built once: a roll date becomes two array loads instead of a
// calendar conversion (schedules call this tens of millions of times). Immutable after load.
const TABLE_FIRST_MONTH = 1900 * 12;
const TABLE_MONTHS = 401 * 12;
const MONTH_STARTS = Int32Array.from({ length: TABLE_MONTHS + 1 }, (_, k) => {
  const monthIndex = TABLE_FIRST_MONTH + k;
  const year = Math.floor(monthIndex / 12);
  return fromYmd(year, monthIndex - year * 12 + 1, 1);
});

/** Epoch day of the 1st of a month given as monthIndex = year·12 + (month − 1). */
export function monthStart(monthIndex: number): number {
  const k = monthIndex - TABLE_FIRST_MONTH;
  if (k >= 0 && k <= TABLE_MONTHS) return MONTH_STARTS[k] as number;
  const year = Math.floor(monthIndex / 12);
  return fromYmd(year, monthIndex - year * 12 + 1, 1);
}

/** monthIndex = year·12 + (month − 1) of an epoch day, allocation-free (hot-loop twin of toYmd). */
export function monthIndexOf(day: number): number {
  let monthIndex = 1970 * 12 + Math.floor(day / 30.436875);
  while (monthStart(monthIndex) > day) monthIndex--;
  while (monthStart(monthIndex + 1) <= day) monthIndex++;
  return monthIndex;
}

/** Time t of a flow, methodology §2: ACT/365F from `from` to `to`. */
export function yearsBetween(from: number, to: number): number {
  return (to - from) / 365;
}
