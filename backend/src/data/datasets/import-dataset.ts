/**
 * Turns uploaded files into an immutable dataset directory `<workspaceDir>/datasets/<id>/`
 * (positions/curves/schedules Parquet, manifest.json). Everything is built in a `.tmp-<uuid>`
 * directory and renamed into place; on any failure the temp directory is removed and nothing
 * else exists. All-or-nothing unless `skipInvalid`. The rules are validate-sources.ts, shared with
 * `almready calc`; this file adds the Parquet files and the manifest.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { openDuckDb, type DuckDb } from '../duckdb.ts';
import { fileError, type ImportError } from '../schema/index.ts';
import { ImportRefused, publicRefusal, validateSources } from './validate-sources.ts';
import { DATASET_FILES, type DatasetMeta } from './dataset-meta.ts';
import { publishDirectory } from '../../files/atomic-dir.ts';
import { datasetTotals, hashFiles, copyToParquet } from './dataset-writer.ts';
import { checkImportOptions, type ImportDatasetOptions } from './import-options.ts';

export type { ImportDatasetOptions } from './import-options.ts';

export type ImportDatasetResult =
  | { ok: true; dataset: DatasetMeta }
  | { ok: false; errors: ImportError[]; total: number; mapping: Record<string, string> };

export async function importDataset(options: ImportDatasetOptions): Promise<ImportDatasetResult> {
  const checked = checkImportOptions(options);
  if (!checked.ok) return { ok: false, errors: checked.errors, total: checked.errors.length, mapping: {} };
  const uuid = options.uuid ?? randomUUID;
  const datasetId = options.datasetId ?? uuid();
  const datasetsDir = path.join(options.workspaceDir, 'datasets');
  const finalDir = path.join(datasetsDir, datasetId);
  if (await exists(finalDir)) {
    const error = fileError('', `dataset ${datasetId} already exists in this workspace`);
    return { ok: false, errors: [error], total: 1, mapping: {} };
  }
  const tmpDir = path.join(datasetsDir, `.tmp-${uuid()}`);
  const stagingDir = path.join(tmpDir, 'staging');
  await mkdir(stagingDir, { recursive: true });
  let db: DuckDb | undefined;
  let mapping: Record<string, string> = {};
  const progress = (f: number) => options.onProgress?.(Math.min(1, Math.max(0, f)));
  try {
    db = await openDuckDb(':memory:', { threads: '2', memory_limit: '600MB', temp_directory: path.join(stagingDir, 'duckdb') });
    const valid = await validateSources(db, { ...options, onProgress: progress }, stagingDir, (used) => (mapping = used));
    const { asOf, total, listed } = valid;
    for (const [table, file] of [['clean_positions', 'positions.parquet'], ['curves', 'curves.parquet'], ['clean_schedules', 'schedules.parquet']] as const) {
      await copyToParquet(db, table, path.join(tmpDir, file));
    }
    const counts = await db.all('SELECT (SELECT count(*) FROM clean_positions) p, (SELECT count(*) FROM curves) c, (SELECT count(*) FROM clean_schedules) s');
    const totals = await datasetTotals(db, 'clean_positions');
    db.close();
    db = undefined;
    await rm(stagingDir, { recursive: true, force: true });
    progress(0.9);

    const skippedRows = valid.skippedRows;
    const sourceFiles = [];
    for (const [field, file] of Object.entries(options.sources)) {
      if (file) sourceFiles.push({ field, name: file.originalName, bytes: (await stat(file.path)).size });
    }
    const meta: DatasetMeta = {
      id: datasetId,
      workspaceId: options.workspaceId,
      name: options.name,
      asOf,
      createdAt: (options.now?.() ?? new Date()).toISOString(),
      createdBy: options.createdBy,
      sourceFiles,
      rows: { positions: Number(counts[0]?.p ?? 0), curves: Number(counts[0]?.c ?? 0), schedules: Number(counts[0]?.s ?? 0) },
      totals,
      contentHash: await hashFiles(DATASET_FILES.map((f) => path.join(tmpDir, f))),
      mapping,
      attributes: valid.attributes,
      ignoredFiles: valid.ignored,
      skipped: { count: skippedRows, errors: total > 0 ? listed : [] },
    };
    if (total > 0) await writeFile(path.join(tmpDir, 'skipped.json'), `${JSON.stringify({ rows: skippedRows, totalErrors: total, errors: listed }, null, 2)}\n`);
    await writeFile(path.join(tmpDir, 'manifest.json'), `${JSON.stringify(meta, null, 2)}\n`);
    await publishDirectory(tmpDir, finalDir);
    progress(1);
    return { ok: true, dataset: meta };
  } catch (error) {
    db?.close();
    await rm(tmpDir, { recursive: true, force: true });
    if (error instanceof ImportRefused) return { ok: false, errors: publicRefusal(error, options, options.workspaceDir), total: error.total, mapping };
    throw error;
  }
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}
