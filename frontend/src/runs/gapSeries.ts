/**
 * The repricing gap table as chart points: per bucket the gap (assets − liabilities repricing) and
 * the cumulative gap (methodology §8). Rows per currency are summed per bucket, keeping bucket order.
 */
import type { TableResult } from '../api/types.ts';

export interface GapPoint { bucket: string; gap: number; cumulative: number }

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);

export function gapSeries(table: TableResult): GapPoint[] {
  const names = table.columns.map((c) => c.name);
  const find = (...candidates: string[]) => candidates.map((c) => names.find((n) => n.toLowerCase() === c)).find(Boolean) ?? null;
  const bucketCol = find('bucket', 'time_bucket', 'bucket_label', 'label');
  const gapCol = find('gap', 'net_gap', 'repricing_gap');
  const assetCol = find('assets', 'asset', 'asset_notional');
  const liabilityCol = find('liabilities', 'liability', 'liability_notional');
  if (!bucketCol || (!gapCol && !(assetCol && liabilityCol))) return [];

  const order: string[] = [];
  const gaps = new Map<string, number>();
  for (const row of table.rows) {
    const bucket = String(row[bucketCol]);
    const gap = gapCol ? num(row[gapCol]) : num(row[assetCol!]) - num(row[liabilityCol!]);
    if (!Number.isFinite(gap)) continue;
    if (!gaps.has(bucket)) order.push(bucket);
    gaps.set(bucket, (gaps.get(bucket) ?? 0) + gap);
  }
  let cumulative = 0;
  return order.map((bucket) => {
    const gap = gaps.get(bucket)!;
    cumulative += gap;
    return { bucket, gap, cumulative };
  });
}
