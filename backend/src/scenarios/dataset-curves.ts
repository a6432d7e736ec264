/**
 * A dataset's curve rows for the scenario editor. Datasets never change once written, so the rows
 * are read once per dataset (a small in-memory DuckDB over curves.parquet) and kept.
 */
import path from 'node:path';
import type { CurveRow } from '@almready/engine';
import { datasetDir } from '../data/datasets/index.ts';
import { openDuckDb } from '../data/duckdb.ts';
import { sqlString } from '../data/schema/index.ts';

const cache = new Map<string, CurveRow[]>();
const CACHE_SIZE = 32;

export async function datasetCurveRows(workspaceDir: string, datasetId: string): Promise<CurveRow[]> {
  const dir = datasetDir(workspaceDir, datasetId);
  if (!dir) throw new Error(`dataset id ${datasetId} is not a dataset folder name`);
  const key = path.join(dir, 'curves.parquet');
  const cached = cache.get(key);
  if (cached) return cached;
  const db = await openDuckDb(':memory:', { threads: '1' });
  try {
    const rows = await db.all(`SELECT curve_id, tenor, rate::DOUBLE AS rate FROM read_parquet(${sqlString(key)})`);
    const curves = rows.map((r) => ({ curve_id: String(r.curve_id), tenor: String(r.tenor), rate: Number(r.rate) }));
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, curves);
    return curves;
  } finally {
    db.close();
  }
}
