/**
 * Files straight into engine columns, for a one-off calculation (`almready calc`): the same staging,
 * rules and error report as an upload (validate-sources.ts), then the valid rows are read from the
 * import's own DuckDB tables (engine-columns.ts) — no dataset, no Parquet written and read back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDuckDb, type DuckDb } from '../duckdb.ts';
import { positionOutputColumns, type ImportError } from '../schema/index.ts';
import { readEngineColumns, type EngineColumns } from './engine-columns.ts';
import { checkImportOptions, type ImportDatasetOptions } from './import-options.ts';
import { ImportRefused, publicRefusal, validateSources } from './validate-sources.ts';
import type { Allocate } from './column-stream.ts';

export type ReadSourcesOptions = Pick<ImportDatasetOptions, 'asOf' | 'sources' | 'mapping' | 'dateFormat' | 'zipLimits'> & {
  /** where the arrays are placed (sharedArrays for worker threads); plain arrays by default */
  alloc?: Allocate;
};

export type ReadSourcesResult =
  | ({ ok: true; asOf: string; attributes: string[]; mapping: Record<string, string> } & EngineColumns)
  | { ok: false; errors: ImportError[]; total: number; mapping: Record<string, string> };

export async function readSources(options: ReadSourcesOptions): Promise<ReadSourcesResult> {
  const checked = checkImportOptions({ ...options, name: 'calc', workspaceDir: '', workspaceId: '', createdBy: '' });
  if (!checked.ok) return { ok: false, errors: checked.errors, total: checked.errors.length, mapping: {} };
  const stagingDir = await mkdtemp(path.join(os.tmpdir(), 'almready-read-'));
  let db: DuckDb | undefined;
  let mapping: Record<string, string> = {};
  try {
    db = await openDuckDb(':memory:', { threads: '2', memory_limit: '600MB', temp_directory: path.join(stagingDir, 'duckdb') });
    const valid = await validateSources(db, options, stagingDir, (used) => (mapping = used));
    // every row is valid (nothing is skipped here), so the clean view is the typed table in file order
    if (valid.total > 0) throw new Error('readSources never skips invalid rows');
    const [count] = await db.all('SELECT count(*) AS n FROM clean_positions');
    const columns = await readEngineColumns(db, {
      positions: 'clean_positions',
      ordered: `(SELECT ${positionOutputColumns(valid.attributes).join(', ')}, rowid AS __ord FROM clean_positions_typed)`,
      schedules: 'clean_schedules',
      curves: 'curves',
    }, Number(count?.n ?? 0), valid.attributes, options.alloc);
    return { ok: true, asOf: valid.asOf, attributes: valid.attributes, mapping: valid.mapping, ...columns };
  } catch (error) {
    if (error instanceof ImportRefused) return { ok: false, errors: publicRefusal(error, options, stagingDir), total: error.total, mapping };
    throw error;
  } finally {
    db?.close();
    await rm(stagingDir, { recursive: true, force: true });
  }
}
