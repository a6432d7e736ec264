/**
 * `/:wid/notebooks…`. View members see published notebooks only, at their published version;
 * explore members read the current version; edit members also save it. A stale save is a 409 naming who changed it.
 */
import type { Context } from 'koa';
import { createNotebookBodySchema as createBody, saveNotebookBodySchema as saveBody } from '@almready/contracts';
import { emptyNotebook, parseNotebook, type NotebookDocument } from '@almready/notebooks';
import { NOTEBOOK_JSON_LIMIT_BYTES } from '../http/body.ts';
import { RouteTable, workspaceRole } from '../http/route-table.ts';
import { apiError, notFound } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { access, uuidParam } from '../workspaces/permissions.ts';
import { EXAMPLE_IDS, notebookExample } from '../notebook-examples/catalog.ts';
import { touchWorkspace } from '../workspaces/repository.ts';
import { hasRole } from '../workspaces/roles.ts';
import {
  createNotebook, deleteNotebook, getNotebookRow, listNotebookRows, listPublishedNotebooks, listVersions, readVersion, saveNotebook, versionMeta, type NotebookRow,
} from './store.ts';

function documentOf(value: unknown): NotebookDocument {
  const parsed = parseNotebook(value);
  if (!parsed.ok) throw apiError(422, 'invalid_notebook', parsed.reason);
  return parsed.document;
}

/** A notebook answer at one version (the store's row, that version's document). */
export function presentNotebook(deps: Pick<WorkspaceDeps, 'db'>, dir: string, row: NotebookRow, version: number) {
  const editor = deps.db.prepare('SELECT username FROM users WHERE id = ?').get(row.updated_by) as { username: string } | undefined;
  return {
    id: row.id,
    name: row.name,
    version,
    content: readVersion(dir, row.id, version),
    published: row.published_version !== null,
    publishedVersion: row.published_version,
    updatedAt: row.updated_at,
    updatedBy: editor?.username ?? row.updated_by,
  };
}

/**
 * A `view` member's notebook: the published version with that version's own name, time and
 * author, so nothing of a later draft (its name, when or by whom it was saved) shows through.
 */
function presentPublished(deps: WorkspaceDeps, dir: string, row: NotebookRow & { published_version: number }) {
  const meta = versionMeta(deps.db, row.id, row.published_version);
  if (!meta) throw new Error(`notebook ${row.id} has no row for its published version ${row.published_version}`);
  return {
    id: row.id,
    name: meta.name,
    version: row.published_version,
    content: readVersion(dir, row.id, row.published_version),
    published: true,
    publishedVersion: row.published_version,
    updatedAt: meta.savedAt,
    updatedBy: meta.savedBy,
  };
}

function loadRow(deps: WorkspaceDeps, ctx: Context): NotebookRow {
  const nid = uuidParam(ctx, 'nid', 'Notebook');
  const row = getNotebookRow(deps.db, access(ctx).row.id, nid);
  if (!row) throw notFound('Notebook');
  return row;
}

export function notebookRoutes(deps: WorkspaceDeps): RouteTable {
  const routes = new RouteTable();
  // Notebook documents carry whole cells (up to 1,000,000 characters each), so saves get more room.
  const notebookBody = { access: workspaceRole('edit'), limitBytes: NOTEBOOK_JSON_LIMIT_BYTES };

  routes.get('/:wid/notebooks', { access: workspaceRole('view') }, (ctx) => {
    const { row: ws, role } = access(ctx);
    // Only `view` members are limited to published versions (API.md); explore and up read the current one.
    const editor = hasRole(role, 'explore');
    const notebooks = editor
      ? listNotebookRows(deps.db, ws.id).map((n) => ({
        id: n.id,
        name: n.name,
        version: n.version,
        published: n.published_version !== null,
        publishedVersion: n.published_version,
        updatedAt: n.updated_at,
        updatedBy: n.updated_by_name,
      }))
      // a view member sees each published version as it was published: nothing of a later draft,
      // not even when drafts changed (ordered by when the published version was saved)
      : listPublishedNotebooks(deps.db, ws.id).map((n) => ({
        id: n.id, name: n.name, version: n.version, published: true, publishedVersion: n.version, updatedAt: n.savedAt, updatedBy: n.savedBy,
      }));
    ctx.body = { notebooks };
  });

  routes.post('/:wid/notebooks', { ...notebookBody, schema: createBody }, async (ctx) => {
    const { row: ws, dir, user } = access(ctx);
    const body = ctx.request.body;
    const example = body.example === undefined ? undefined : notebookExample(body.example);
    if (body.example !== undefined && !example) {
      throw apiError(422, 'unknown_example', `There is no example "${body.example.slice(0, 100)}"; the examples are ${EXAMPLE_IDS.join(', ')}.`);
    }
    const name = body.name ?? example?.name ?? '';
    const content = example ? structuredClone(example.document) : body.content === undefined ? emptyNotebook(name) : documentOf(body.content);
    const row = createNotebook(deps.db, ws.id, dir, { name, content, userId: user.id });
    touchWorkspace(deps.db, ws.id);
    deps.audit.record({ action: 'notebook.create', userId: user.id, workspaceId: ws.id, detail: { notebookId: row.id, name: row.name, ...(example ? { example: example.id } : {}) }, ip: ctx.ip });
    ctx.status = 201;
    ctx.body = { notebook: presentNotebook(deps, dir, row, 1) };
  });

  routes.get('/:wid/notebooks/:nid', { access: workspaceRole('view') }, (ctx) => {
    const { dir, role } = access(ctx);
    const row = loadRow(deps, ctx);
    if (hasRole(role, 'explore')) {
      ctx.body = { notebook: presentNotebook(deps, dir, row, row.version) };
      return;
    }
    if (row.published_version === null) throw notFound('Notebook');
    ctx.body = { notebook: presentPublished(deps, dir, { ...row, published_version: row.published_version }) };
  });

  routes.put('/:wid/notebooks/:nid', { ...notebookBody, schema: saveBody }, async (ctx) => {
    const { row: ws, dir, user } = access(ctx);
    const row = loadRow(deps, ctx);
    const body = ctx.request.body;
    const content = documentOf(body.content);
    const result = saveNotebook(deps.db, ws.id, dir, { id: row.id, baseVersion: body.version, name: body.name, content, userId: user.id });
    if (!result.ok && result.reason === 'not_found') throw notFound('Notebook');
    if (!result.ok && result.reason === 'version_conflict') {
      const { current, updatedByName } = result;
      throw apiError(
        409,
        'version_conflict',
        `This notebook was changed by ${updatedByName} at ${current.updated_at} (version ${current.version}); reload and re-apply your edits.`,
        { currentVersion: current.version, updatedBy: updatedByName, updatedAt: current.updated_at },
      );
    }
    if (!result.ok) throw notFound('Notebook');
    touchWorkspace(deps.db, ws.id);
    deps.audit.record({ action: 'notebook.save', userId: user.id, workspaceId: ws.id, detail: { notebookId: row.id, name: result.row.name, version: result.row.version }, ip: ctx.ip });
    ctx.body = { notebook: presentNotebook(deps, dir, result.row, result.row.version) };
  });

  // `POST /:wid/notebooks/:nid/publish` runs the version before freezing it: notebook-exec/publish-routes.ts

  routes.get('/:wid/notebooks/:nid/versions', { access: workspaceRole('edit') }, (ctx) => {
    ctx.body = { versions: listVersions(deps.db, loadRow(deps, ctx).id) };
  });

  // One saved version as it was saved (history, compare, restore); a version that never existed is 404 like a bad id.
  routes.get('/:wid/notebooks/:nid/versions/:version', { access: workspaceRole('edit') }, (ctx) => {
    const { dir } = access(ctx);
    const row = loadRow(deps, ctx);
    const raw = String(ctx.params.version ?? '');
    const version = /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : 0;
    const meta = version > 0 && version <= row.version ? listVersions(deps.db, row.id).find((v) => v.version === version) : undefined;
    if (!meta) throw notFound('Notebook version');
    ctx.body = { version: { ...meta, content: readVersion(dir, row.id, version) } };
  });

  routes.delete('/:wid/notebooks/:nid', { access: workspaceRole('edit') }, (ctx) => {
    const { row: ws, dir, user } = access(ctx);
    const row = loadRow(deps, ctx);
    deleteNotebook(deps.db, dir, row);
    touchWorkspace(deps.db, ws.id);
    deps.audit.record({ action: 'notebook.delete', userId: user.id, workspaceId: ws.id, detail: { notebookId: row.id, name: row.name }, ip: ctx.ip });
    ctx.status = 204;
  });

  return routes;
}
