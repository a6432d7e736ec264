/** Reads a dataset's Parquet files straight into the engine's columnar types (engine-columns.ts). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CurveRow, PositionColumns, ScheduleColumns } from '@almready/engine';
import { openDuckDb } from '../duckdb.ts';
import { sqlString } from '../schema/index.ts';
import { DatasetMetaSchema, type DatasetMeta } from './dataset-meta.ts';
import { readEngineColumns } from './engine-columns.ts';

export interface LoadedDataset {
  positions: PositionColumns;
  schedules: ScheduleColumns;
  curves: CurveRow[];
  asOf: string;
  meta: DatasetMeta;
}

export async function loadDataset(datasetDir: string): Promise<LoadedDataset> {
  const meta = DatasetMetaSchema.parse(JSON.parse(await readFile(path.join(datasetDir, 'manifest.json'), 'utf8')));
  const parquet = (name: string) => `read_parquet(${sqlString(path.join(datasetDir, name))})`;
  const db = await openDuckDb(':memory:', { threads: '2' });
  try {
    const positionsFile = sqlString(path.join(datasetDir, 'positions.parquet'));
    const columns = await readEngineColumns(db, {
      positions: parquet('positions.parquet'),
      ordered: `(SELECT *, file_row_number AS __ord FROM read_parquet(${positionsFile}, file_row_number = true))`,
      schedules: parquet('schedules.parquet'),
      curves: parquet('curves.parquet'),
    }, meta.rows.positions, meta.attributes).catch((error: unknown) => {
      throw new Error(`dataset ${meta.id}: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (columns.schedules.length !== meta.rows.schedules) throw new Error(`dataset ${meta.id}: schedules.parquet holds ${columns.schedules.length} rows matching positions, manifest says ${meta.rows.schedules}`);
    return { ...columns, asOf: meta.asOf, meta };
  } finally {
    db.close();
  }
}
