/**
 * `POST /:wid/notebooks/:nid/publish` (edit), `GET …/publications`, `GET …/report` and
 * `GET …/report.html` (view) (API.md). A `view` member reads only the notebook's latest
 * publication — its report, never its source; explore and up may name any publication with
 * `?publication=`. Strangers get 404 on all of them (the router's guard).
 */
import type { Context } from 'koa';
import { publishNotebookBodySchema, type Publication } from '@almready/contracts';
import type { Parameters } from '@almready/notebooks';
import type { RouteTable } from '../http/route-table.ts';
import { workspaceRole } from '../http/route-table.ts';
import { presentNotebook } from '../notebook-store/routes.ts';
import { getNotebookRow, type NotebookRow } from '../notebook-store/store.ts';
import { getPublication, latestPublication, listPublications, summaryOf } from '../notebook-store/publications.ts';
import { apiError } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { isUuid } from '../workspaces/ids.ts';
import { access } from '../workspaces/permissions.ts';
import { touchWorkspace } from '../workspaces/repository.ts';
import { hasRole } from '../workspaces/roles.ts';
import { API_REPORT_LIMITS, publicationHtml, publicationReport, publishVersion, reportFileName } from './publish.ts';
import { datasetFor, loadRow, versionFor } from './route-helpers.ts';

const NONE_YET = 'This notebook has no publication yet: an editor publishes a version (which runs it and freezes its outputs).';

/** `?publication=` (default the latest); a `view` member may read the latest one only. */
function publicationFor(deps: WorkspaceDeps, ctx: Context, row: NotebookRow): Publication {
  const { row: ws, role } = access(ctx);
  const asked = ctx.query.publication;
  const latest = latestPublication(deps.db, ws.id, row.id);
  if (asked === undefined || asked === '') {
    if (!latest) throw apiError(404, 'not_found', NONE_YET);
    return latest;
  }
  const notFound = apiError(404, 'not_found', 'Publication not found for this notebook; GET …/publications lists them.');
  if (typeof asked !== 'string' || !isUuid(asked)) throw notFound;
  if (!hasRole(role, 'explore')) {
    if (latest?.id !== asked) throw notFound;
    return latest;
  }
  const publication = getPublication(deps.db, ws.id, row.id, asked);
  if (!publication) throw notFound;
  return publication;
}

export function addPublicationRoutes(routes: RouteTable, deps: WorkspaceDeps): void {
  const view = { access: workspaceRole('view') };

  routes.post('/:wid/notebooks/:nid/publish', { access: workspaceRole('edit'), schema: publishNotebookBodySchema }, async (ctx) => {
    const { row: ws, dir, user } = access(ctx);
    const row = loadRow(deps, ctx);
    const body = ctx.request.body;
    const version = versionFor(ctx, row, body.version);
    const datasetId = datasetFor(deps, ws.id, body.datasetId);
    const publication = await publishVersion(deps, {
      workspace: { id: ws.id, dir }, user: { id: user.id }, row, version, datasetId,
      ...(body.parameters ? { parameters: body.parameters as Parameters } : {}),
    });
    touchWorkspace(deps.db, ws.id);
    deps.audit.record({
      action: 'notebook.publish', userId: user.id, workspaceId: ws.id, ip: ctx.ip,
      detail: { notebookId: row.id, version, publicationId: publication.id, datasetId, datasetHash: publication.datasetHash, engineVersion: publication.engineVersion },
    });
    const current = getNotebookRow(deps.db, ws.id, row.id)!;
    ctx.body = { notebook: presentNotebook(deps, dir, current, current.version), publication };
  });

  routes.get('/:wid/notebooks/:nid/publications', view, (ctx) => {
    const { row: ws, role } = access(ctx);
    const row = loadRow(deps, ctx);
    const all = listPublications(deps.db, ws.id, row.id);
    // a view member knows of the publication they may read, not of earlier ones
    const visible = hasRole(role, 'explore') ? all : all.filter((p) => p.latest);
    ctx.body = { publications: visible.map(summaryOf) };
  });

  routes.get('/:wid/notebooks/:nid/report', view, (ctx) => {
    const { dir } = access(ctx);
    const publication = publicationFor(deps, ctx, loadRow(deps, ctx));
    ctx.body = { publication: summaryOf(publication), report: publicationReport(dir, publication, API_REPORT_LIMITS) };
  });

  routes.get('/:wid/notebooks/:nid/report.html', view, (ctx) => {
    const { dir } = access(ctx);
    const publication = publicationFor(deps, ctx, loadRow(deps, ctx));
    const name = reportFileName(publication);
    ctx.set('Content-Type', 'text/html; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="${name}"`);
    // the file is the whole report: nothing it could load, and the app's own pages never frame it
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'");
    ctx.set('Cache-Control', 'private, no-store');
    ctx.body = publicationHtml(dir, publication);
  });
}
