/**
 * Each dataset of a workspace gets its own schema, created once: `ds_<hex id>` with views
 * `positions`, `curves`, `schedules` over its Parquet files, and `dsrow_<hex id>` with their
 * row-numbered twins for grid paging. Grid SQL names these schemas; user SQL sees the plain table
 * names through its connection's `search_path` (a session setting the lock-down leaves open, and
 * that user SQL cannot change: SET is refused). Requests for different datasets therefore run side
 * by side without re-pointing anything. Creating views is not a configuration change, so it works
 * after the lock-down; every file was checked to lie inside the workspace (dataset-files.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DATASET_TABLES, type DatasetFiles } from './dataset-files.ts';
import { quoteIdent, sqlString } from '../sql-quote.ts';
import type { TableSource } from './page-sql.ts';

export interface DatasetSources {
  /** Schema of the plain views: the `search_path` of user SQL on this dataset. */
  schema: string;
  /** Dataset table → where to read it; tables without a file are absent. */
  tables: Map<string, TableSource>;
}

export class DatasetViews {
  private readonly known = new Map<string, { signature: string; ready: Promise<DatasetSources> }>();
  /** DDL runs one statement at a time so two requests never replace the same view at once. */
  private ddl: Promise<unknown> = Promise.resolve();

  ensure(connection: DuckDBConnection, datasetId: string, files: DatasetFiles): Promise<DatasetSources> {
    const signature = JSON.stringify([...files.tables]);
    const entry = this.known.get(datasetId);
    if (entry?.signature === signature) return entry.ready;
    const ready = this.serially(() => createViews(connection, datasetId, files));
    const created = { signature, ready };
    this.known.set(datasetId, created);
    // A failed (or interrupted) creation must not stay cached: the next request tries again.
    ready.catch(() => { if (this.known.get(datasetId) === created) this.known.delete(datasetId); });
    return ready;
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.ddl.then(task, task);
    this.ddl = result.catch(() => undefined);
    return result;
  }
}

export function schemaNames(datasetId: string): { plain: string; numbered: string } {
  const hex = Buffer.from(datasetId, 'utf8').toString('hex');
  return { plain: `ds_${hex}`, numbered: `dsrow_${hex}` };
}

async function createViews(connection: DuckDBConnection, datasetId: string, files: DatasetFiles): Promise<DatasetSources> {
  const { plain, numbered } = schemaNames(datasetId);
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${plain}`);
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${numbered}`);
  const tables = new Map<string, TableSource>();
  for (const name of DATASET_TABLES) {
    const view = quoteIdent(name);
    const file = files.tables.get(name);
    if (file === undefined) {
      await connection.run(`DROP VIEW IF EXISTS ${plain}.${view}`);
      await connection.run(`DROP VIEW IF EXISTS ${numbered}.${view}`);
      continue;
    }
    await connection.run(`CREATE OR REPLACE VIEW ${plain}.${view} AS SELECT * FROM read_parquet(${sqlString(file)})`);
    let twin: string | null = `${numbered}.${view}`;
    try {
      await connection.run(`CREATE OR REPLACE VIEW ${twin} AS SELECT * FROM read_parquet(${sqlString(file)}, file_row_number = true)`);
    } catch {
      // The file has its own column called file_row_number: grids then page without row numbers.
      await connection.run(`DROP VIEW IF EXISTS ${twin}`);
      twin = null;
    }
    tables.set(name, { name, from: `${plain}.${view}`, numbered: twin, file });
  }
  return { schema: plain, tables };
}
