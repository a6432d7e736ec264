/** What the notebook execution and publication routes share: the notebook row, the version a caller may read, the dataset. */
import type { Context } from 'koa';
import { getNotebookRow, notebookFileExists, type NotebookRow } from '../notebook-store/store.ts';
import { apiError, notFound } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { access, uuidParam } from '../workspaces/permissions.ts';
import { hasRole } from '../workspaces/roles.ts';

export function loadRow(deps: WorkspaceDeps, ctx: Context): NotebookRow {
  const row = getNotebookRow(deps.db, access(ctx).row.id, uuidParam(ctx, 'nid', 'Notebook'));
  if (!row) throw notFound('Notebook');
  return row;
}

/** The version a caller may read: any saved one from `explore` up (default current), only the published one below. */
export function versionFor(ctx: Context, row: NotebookRow, asked: number | undefined): number {
  const { dir, role } = access(ctx);
  if (!hasRole(role, 'explore')) {
    if (row.published_version === null || (asked !== undefined && asked !== row.published_version)) throw notFound('Notebook');
    return row.published_version;
  }
  const version = asked ?? row.version;
  if (version > row.version || !notebookFileExists(dir, row.id, version)) throw apiError(404, 'not_found', `Version ${version} of this notebook not found; it has versions 1 to ${row.version}.`);
  return version;
}

export function versionQuery(ctx: Context): number | undefined {
  const raw = ctx.query.version;
  if (raw === undefined) return undefined;
  const version = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(version) || version < 1) throw apiError(422, 'validation_failed', 'version must be a saved version number (1 or more).');
  return version;
}

/** The dataset the cells read: the one named (it must be this workspace's), else the newest, else none. */
export function datasetFor(deps: WorkspaceDeps, workspaceId: string, asked: string | undefined): string | null {
  if (asked !== undefined) {
    const exists = deps.db.prepare('SELECT 1 FROM datasets WHERE id = ? AND workspace_id = ?').get(asked, workspaceId);
    if (!exists) throw apiError(422, 'validation_failed', 'datasetId is not a dataset of this workspace; pick one from the dataset list.');
    return asked;
  }
  const newest = deps.db.prepare('SELECT id FROM datasets WHERE workspace_id = ? ORDER BY created_at DESC, id LIMIT 1').get(workspaceId) as { id: string } | undefined;
  return newest?.id ?? null;
}
