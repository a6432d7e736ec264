/**
 * Where notebook results live in a workspace, and how a stored table is named. A cell's result is
 * one write-once Parquet file `notebook-results/<cache key>.parquet` (a run's tables stay in
 * `runs/<id>/`); its table id (what grids page and the sandbox holds) is derived from the file, so
 * a stored output names its table without any registry, across restarts and server processes.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../app-error.ts';

export const RESULTS_DIR = 'notebook-results';
const CACHE_KEY = /^[a-f0-9]{32,64}$/;
/** An SQL-visible name of a result: what cells write in `FROM …`. */
export const RESULT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
export const DATASET_TABLE_NAMES = new Set(['positions', 'curves', 'schedules']);

/** A table stored in the workspace: its id for grids and handles, its file relative to the workspace. */
export interface StoredTableRef {
  table: string;
  file: string;
}

/** The error of a notebook cell's host work: `status` for the API, `kind` for the cell's error. */
export class NotebookExecError extends AppError {
  constructor(readonly kind: 'syntax' | 'forbidden' | 'invalid' | 'not_found' | 'cancelled' | 'limit', message: string, readonly position?: number) {
    super({ syntax: 422, forbidden: 403, invalid: 422, not_found: 404, cancelled: 409, limit: 429 }[kind], `notebook_${kind}`, message);
    this.name = 'NotebookExecError';
  }
}

export function checkCacheKey(key: string): string {
  if (!CACHE_KEY.test(key)) throw new NotebookExecError('invalid', 'a cell result key is 32 to 64 lower-case hex digits (the cell\'s cache key)');
  return key;
}

export function resultRef(cacheKey: string): StoredTableRef {
  checkCacheKey(cacheKey);
  return { table: `nb_${cacheKey.slice(0, 48)}`, file: `${RESULTS_DIR}/${cacheKey}.parquet` };
}

/** Table id of a run's result table: `nbrun_<run id without dashes>_<table>`. */
export function runTableRef(runId: string, table: string): StoredTableRef {
  return { table: `nbrun_${runId.replaceAll('-', '')}_${table}`, file: `runs/${runId}/${table}.parquet` };
}

/**
 * The real path of a stored table's file, which must exist inside this workspace's
 * `notebook-results/` or `runs/` folder: a reference naming another workspace's file (by `..`, an
 * absolute path or a symlink) is refused as not found here, without saying where it points.
 */
export async function storedFile(workspaceDir: string, ref: StoredTableRef): Promise<string> {
  const missing = new NotebookExecError('not_found', `table "${ref.table}" is not a result of this workspace`);
  if (typeof ref.file !== 'string' || path.isAbsolute(ref.file) || ref.file.includes('\0')) throw missing;
  const real = await fs.realpath(path.join(workspaceDir, ref.file)).catch(() => null);
  const root = await fs.realpath(workspaceDir).catch(() => null);
  if (real === null || root === null) throw missing;
  const inside = [RESULTS_DIR, 'runs'].some((dir) => real.startsWith(path.join(root, dir) + path.sep));
  if (!inside || !real.endsWith('.parquet')) throw missing;
  return real;
}

export function checkResultName(name: string): string {
  if (!RESULT_NAME.test(name)) throw new NotebookExecError('invalid', `result name "${name.slice(0, 80)}" must be letters, digits and _ (not starting with a digit), at most 63`);
  if (DATASET_TABLE_NAMES.has(name.toLowerCase())) throw new NotebookExecError('invalid', `"${name}" is the dataset's own table; name this result otherwise`);
  return name;
}
