/** Number and date display used across grids and tables (en-GB grouping, ISO dates). */
const amount = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });
const percent = new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatAmount(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? amount.format(value) : value == null ? '' : String(value);
}

const compact = new Intl.NumberFormat('en-GB', { notation: 'compact', maximumFractionDigits: 1 });

/** Rates and year fractions keep 4 decimals; amounts (|x| ≥ 1000) show whole units. */
export function formatDecimal(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value == null ? '' : String(value);
  return Math.abs(value) >= 1000 ? amount.format(value) : decimal.format(value);
}

/** Chart axes: 5,000,000,000 → "5bn" (British banking style). */
export function formatCompact(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? compact.format(value) : String(value ?? '');
}

export function formatPercent(value: number | null): string {
  return value == null || !Number.isFinite(value) ? '—' : percent.format(value);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 16).replace('T', ' ');
}
