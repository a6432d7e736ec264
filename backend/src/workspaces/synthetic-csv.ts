/**
 * Writes engine columns (a synthetic balance sheet) as canonical CSV files the importer reads:
 * positions.csv, schedules.csv and curves.csv. Used by the demo workspace and the load benchmark,
 * so both go through the same import path as a bank's upload.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  AMORTIZATIONS, DAY_COUNTS, NMD_CATEGORIES, NO_DATE, RATE_TYPES, formatIsoDate,
  type CurveRow, type DictionaryColumn, type PositionColumns, type ScheduleColumns,
} from '@almready/engine';

const HEADER = [
  'position_id', 'side', 'product', 'currency', 'notional', 'start_date', 'maturity_date', 'amortization', 'rate_type', 'rate',
  'index', 'spread', 'payment_frequency_months', 'reset_frequency_months', 'next_reset_date', 'day_count', 'floor', 'cap',
  'nmd_category', 'cpr', 'tdrr',
];

const text = (column: DictionaryColumn, i: number): string => {
  const code = column.codes[i] ?? -1;
  return code < 0 ? '' : (column.values[code] ?? '');
};
const date = (day: number): string => (day === NO_DATE ? '' : formatIsoDate(day));
const num = (value: number): string => (Number.isNaN(value) ? '' : String(value));
const quote = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

async function writeLines(path: string, count: number, header: string, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let chunk = `${header}\n`;
  for (let i = 0; i < count; i += 1) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

export async function writeSyntheticCsv(
  dir: string,
  sheet: { positions: PositionColumns; schedules: ScheduleColumns; curves: CurveRow[] },
): Promise<{ positions: string; schedules: string; curves: string }> {
  const p = sheet.positions;
  const attributes = Object.keys(p.attributes).sort();
  const files = { positions: join(dir, 'positions.csv'), schedules: join(dir, 'schedules.csv'), curves: join(dir, 'curves.csv') };
  await writeLines(files.positions, p.length, [...HEADER, ...attributes].join(','), (i) => {
    const floating = p.rateType[i] === 1;
    const nmd = p.nmdCategory[i] ?? -1;
    const cells = [
      quote(p.id[i] ?? ''), p.side[i] === 1 ? 'asset' : 'liability', quote(text(p.product, i)), text(p.currency, i), num(p.notional[i]!),
      date(p.startDate[i]!), date(p.maturityDate[i]!), AMORTIZATIONS[p.amortization[i]!] ?? '', RATE_TYPES[p.rateType[i]!] ?? '', num(p.rate[i]!),
      floating ? quote(text(p.index, i)) : '', num(p.spread[i]!), String(p.paymentFrequencyMonths[i] ?? ''),
      floating && p.resetFrequencyMonths[i] ? String(p.resetFrequencyMonths[i]) : '', floating ? date(p.nextResetDate[i]!) : '',
      DAY_COUNTS[p.dayCount[i]!] ?? '', num(p.floor[i]!), num(p.cap[i]!), nmd >= 0 ? (NMD_CATEGORIES[nmd] ?? '') : '', num(p.cpr[i]!), num(p.tdrr[i]!),
      ...attributes.map((a) => quote(text(p.attributes[a]!, i))),
    ];
    return cells.join(',');
  });
  const s = sheet.schedules;
  await writeLines(files.schedules, s.length, 'position_id,date,principal', (k) => `${quote(p.id[s.positionIndex[k]!] ?? '')},${date(s.date[k]!)},${num(s.principal[k]!)}`);
  await writeLines(files.curves, sheet.curves.length, 'curve_id,tenor,rate', (k) => {
    const row = sheet.curves[k]!;
    return `${quote(row.curve_id)},${row.tenor},${row.rate}`;
  });
  return files;
}
