/**
 * Values as a report prints them, for every format a grid spec or `alm.metric` may name: money
 * (whole units, grouped), pct (a ratio as %), bp (a decimal as basis points), number, integer,
 * date, text. Fixed locale (en-GB) so two exports of one publication are byte-identical.
 */
import { formatInline } from '../markdown/value-format.ts';
import type { CellValue } from '../runtime/outputs.ts';

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const number = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });
const compact = new Intl.NumberFormat('en-GB', { notation: 'compact', maximumFractionDigits: 1 });

export function formatValue(value: CellValue | undefined, format: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  switch (format) {
    case 'money': case 'pct': case 'bp': {
      const f = formatInline(value, format);
      return f.ok ? f.text : String(value);
    }
    case 'integer': case 'int': return typeof value === 'number' ? integer.format(value) : String(value);
    case 'number': return typeof value === 'number' ? number.format(value) : String(value);
    case 'date': return typeof value === 'string' ? value.slice(0, 10) : String(value);
    case 'text': return String(value);
    default: {
      const f = formatInline(value, undefined);
      return f.ok ? f.text : String(value);
    }
  }
}

/** Short axis labels: 1.2M, 350k, 5.00%, 200 bp. */
export function formatTick(value: number, format: string | null | undefined): string {
  switch (format) {
    case 'pct': case 'bp': return formatValue(value, format);
    default: return Math.abs(value) >= 10_000 ? compact.format(value) : number.format(value);
  }
}
