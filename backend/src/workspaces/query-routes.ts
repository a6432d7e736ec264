/** `/:wid/datasets/:did/query`, `/:wid/datasets/:did/export`, `/:wid/sql` → WorkspaceQueryService. */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Statement } from 'better-sqlite3';
import type { Context } from 'koa';
import { sqlBodySchema as sqlBody } from '@almready/contracts';
import { z } from 'zod';
import { RouteTable, workspaceRole } from '../http/route-table.ts';
import { apiError, notFound } from './api-error.ts';
import type { WorkspaceDeps, WorkspaceQueries } from './deps.ts';
import { access, uuidParam } from './permissions.ts';
import { fromQueryError, mapQueryErrors } from './query-errors.ts';

// The query service validates paging bodies itself (its schema is the contract); this only
// requires an object so a malformed body fails here with the usual message.
const pageBody = z.record(z.string(), z.unknown());

function queries(deps: WorkspaceDeps): WorkspaceQueries {
  if (!deps.queries) throw apiError(503, 'unavailable', 'The query service is not available on this server.');
  return deps.queries;
}

/** Statements compiled once per database: a grid scrolls with many small requests. */
const datasetLookups = new WeakMap<WorkspaceDeps['db'], Statement>();

function datasetOf(deps: WorkspaceDeps, ctx: Context, id?: string): string {
  const did = id ?? uuidParam(ctx, 'did', 'Dataset');
  let lookup = datasetLookups.get(deps.db);
  if (!lookup) {
    lookup = deps.db.prepare('SELECT id FROM datasets WHERE id = ? AND workspace_id = ?');
    datasetLookups.set(deps.db, lookup);
  }
  const row = lookup.get(did, access(ctx).row.id);
  if (!row) throw notFound('Dataset');
  return did;
}

/**
 * The page as JSON bytes, kept with the page object: the query service hands out the same object
 * for a repeated page (its page cache), so a repeat costs no serialisation.
 */
const pageBytes = new WeakMap<object, Buffer>();
function pageJson(page: unknown): Buffer {
  if (typeof page !== 'object' || page === null) return Buffer.from(JSON.stringify(page ?? null));
  let bytes = pageBytes.get(page);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(page));
    pageBytes.set(page, bytes);
  }
  return bytes;
}

export function queryRoutes(deps: WorkspaceDeps): RouteTable {
  const routes = new RouteTable();
  const explore = { access: workspaceRole('explore') };

  routes.post('/:wid/datasets/:did/query', { ...explore, schema: pageBody }, async (ctx) => {
    const did = datasetOf(deps, ctx);
    const body = ctx.request.body;
    const page = await mapQueryErrors(() => queries(deps).page(access(ctx).dir, did, body, { userId: access(ctx).user.id }));
    ctx.type = 'application/json';
    ctx.body = pageJson(page);
  });

  routes.post('/:wid/datasets/:did/export', { ...explore, schema: pageBody }, async (ctx) => {
    const did = datasetOf(deps, ctx);
    const body = ctx.request.body;
    const stream = new PassThrough();
    const job = queries(deps).exportCsv(access(ctx).dir, did, body, stream, { userId: access(ctx).user.id });
    // Answer with a JSON error when the export fails before its first byte; after that the CSV is streaming.
    const first = await Promise.race([once(stream, 'readable').then(() => 'data' as const), job.then(() => 'done' as const)]).catch((error: unknown) => {
      throw fromQueryError(error) ?? error;
    });
    job.then(
      () => stream.end(),
      (error: unknown) => {
        deps.logger.warn({ err: error }, 'CSV export failed mid-stream');
        stream.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
    if (first === 'done') stream.end();
    const table = typeof body.table === 'string' && /^[a-z_]+$/.test(body.table) ? body.table : 'export';
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="${table}.csv"`);
    ctx.body = stream;
  });

  routes.post('/:wid/sql', { ...explore, schema: sqlBody }, async (ctx) => {
    const body = ctx.request.body;
    const did = datasetOf(deps, ctx, body.datasetId);
    const caller = { userId: access(ctx).user.id };
    ctx.body = await mapQueryErrors(() => queries(deps).runSql(access(ctx).dir, did, body.sql, body.maxRows === undefined ? caller : { ...caller, maxRows: body.maxRows }));
  });

  return routes;
}
