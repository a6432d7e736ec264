/**
 * Where a dataset's tables live on disk, resolved to real paths that must stay inside the
 * workspace (a symlink planted in a dataset folder never makes another workspace readable).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { QueryError } from './query-error.ts';

export const DATASET_TABLES = ['positions', 'curves', 'schedules'] as const;
const DATASET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface DatasetFiles {
  /** table name → real path of its Parquet file; tables the dataset lacks are absent. */
  tables: Map<string, string>;
  /** Analysis date from manifest.json (`asOf`), or null when the manifest has none. */
  asOf: string | null;
}

export async function resolveDatasetFiles(workspaceReal: string, datasetId: string): Promise<DatasetFiles> {
  const notFound = new QueryError('not_found', `Dataset ${datasetId.slice(0, 64)} does not exist in this workspace.`);
  if (!DATASET_ID.test(datasetId)) throw notFound;
  const dir = path.join(workspaceReal, 'datasets', datasetId);
  const stat = await fs.stat(dir).catch(() => null);
  if (stat === null || !stat.isDirectory()) throw notFound;
  const tables = new Map<string, string>();
  for (const table of DATASET_TABLES) {
    const real = await realPathInside(workspaceReal, path.join(dir, `${table}.parquet`));
    if (real !== null) tables.set(table, real);
  }
  if (tables.size === 0) throw notFound;
  return { tables, asOf: await readAsOf(path.join(dir, 'manifest.json')) };
}

/** Real path of an existing file inside the workspace; null when absent; refused when it escapes. */
export async function realPathInside(workspaceReal: string, file: string): Promise<string | null> {
  const real = await fs.realpath(file).catch(() => null);
  if (real === null) return null;
  if (!real.startsWith(workspaceReal + path.sep)) {
    throw new QueryError('forbidden_statement', `${path.basename(file)} points outside this workspace; re-import the dataset.`);
  }
  return real;
}

async function readAsOf(manifestPath: string): Promise<string | null> {
  try {
    const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    const asOf = manifest.asOf ?? manifest.as_of;
    return typeof asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : null;
  } catch {
    return null;
  }
}
