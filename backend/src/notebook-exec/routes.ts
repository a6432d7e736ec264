/**
 * `/:wid/notebooks/:nid/executions…` and `/:wid/notebooks/:nid/outputs…` (API.md). `explore`
 * members run any saved version (default the current one) with their own inputs, nothing saved
 * but outputs; `edit` members also save (notebook-store/routes.ts); `view` members read the
 * published version's outputs only; strangers get 404 everywhere (the router's guard).
 */
import type { Context } from 'koa';
import { executionParametersSchema as parametersSchema, pageRequestSchema, startExecutionBodySchema } from '@almready/contracts';
import type { NotebookDocument, Parameters, RunTarget, TableHandle } from '@almready/notebooks';
import { openEventStream } from '../http/event-stream.ts';
import { RouteTable, workspaceRole } from '../http/route-table.ts';
import { readVersion } from '../notebook-store/store.ts';
import { apiError, notFound } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { access } from '../workspaces/permissions.ts';
import { addPublicationRoutes } from './publish-routes.ts';
import { notebookExecFor, workspaceHostFactory } from './registry.ts';
import { datasetFor, loadRow, versionFor, versionQuery } from './route-helpers.ts';
import { summary } from './service.ts';


function datasetQuery(ctx: Context): string | undefined {
  const raw = ctx.query.datasetId;
  return typeof raw === 'string' ? raw : undefined;
}

function afterSeq(ctx: Context): number {
  const raw = ctx.get('Last-Event-ID') || (typeof ctx.query.after === 'string' ? ctx.query.after : '');
  if (raw === '') return -1;
  const seq = Number(raw);
  if (!Number.isInteger(seq) || seq < -1) throw apiError(422, 'validation_failed', 'Last-Event-ID (or ?after) must be the seq of an event already received, a whole number.');
  return seq;
}

export function notebookExecRoutes(deps: WorkspaceDeps): RouteTable {
  const routes = new RouteTable();
  const explore = { access: workspaceRole('explore') };
  const view = { access: workspaceRole('view') };
  const exec = () => notebookExecFor(deps);

  routes.post('/:wid/notebooks/:nid/executions', { ...explore, schema: startExecutionBodySchema }, (ctx) => {
    const { row: ws, dir, user } = access(ctx);
    const row = loadRow(deps, ctx);
    const body = ctx.request.body;
    const version = versionFor(ctx, row, body.version);
    const datasetId = datasetFor(deps, ws.id, body.datasetId);
    const target: RunTarget = body.target === 'notebook' ? { scope: 'notebook' } : { scope: body.target, cellId: body.cellId! };
    const { executionId } = exec().start({
      workspace: { id: ws.id, dir }, user: { id: user.id }, datasetId,
      notebookId: row.id, version, document: readVersion(dir, row.id, version), target,
      ...(body.parameters ? { parameters: body.parameters as Parameters } : {}),
    });
    deps.audit.record({ action: 'notebook.execute', userId: user.id, workspaceId: ws.id, detail: { notebookId: row.id, version, executionId, target: body.target }, ip: ctx.ip });
    ctx.status = 202;
    ctx.body = { executionId, version, datasetId };
  });

  routes.post('/:wid/notebooks/:nid/executions/:eid/cancel', { ...explore, body: 'none' }, async (ctx) => {
    const { row: ws, user } = access(ctx);
    const row = loadRow(deps, ctx);
    const log = exec().log(ws.id);
    const before = log.get(String(ctx.params.eid ?? ''));
    if (!before || before.notebookId !== row.id) throw notFound('Execution');
    // as with runs, any explore member may stop a workspace's execution (it saves nothing)
    if (before.status === 'running' && exec().cancel(ws.id, before.id)) {
      await exec().settled(before.id);
      deps.audit.record({ action: 'notebook.cancel', userId: user.id, workspaceId: ws.id, detail: { notebookId: row.id, executionId: before.id }, ip: ctx.ip });
    }
    ctx.body = { execution: summary(log.get(before.id) ?? before) };
  });

  routes.get('/:wid/notebooks/:nid/executions/:eid/events', explore, async (ctx) => {
    const { row: ws } = access(ctx);
    const row = loadRow(deps, ctx);
    const eid = String(ctx.params.eid ?? '');
    const known = exec().log(ws.id).get(eid);
    if (!known || known.notebookId !== row.id) throw notFound('Execution');
    const after = afterSeq(ctx);
    const gone = new AbortController();
    const events = openEventStream(ctx, () => gone.abort());
    void (async () => {
      try {
        for await (const event of exec().events(ws.id, eid, after, gone.signal)) {
          if (gone.signal.aborted) break;
          events.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        }
      } catch (error) {
        deps.logger.error({ err: error, executionId: eid }, 'notebook event stream failed');
      } finally {
        events.end();
      }
    })();
  });

  routes.get('/:wid/notebooks/:nid/outputs', view, async (ctx) => {
    const { row: ws, dir } = access(ctx);
    const row = loadRow(deps, ctx);
    const version = versionFor(ctx, row, versionQuery(ctx));
    const datasetId = datasetFor(deps, ws.id, datasetQuery(ctx));
    ctx.body = await exec().outputs({ id: ws.id, dir }, row.id, version, readVersion(dir, row.id, version), datasetId, parametersQuery(ctx));
  });

  routes.get('/:wid/notebooks/:nid/outputs/:cellId/page', view, async (ctx) => {
    const { row: ws, dir, user } = access(ctx);
    const row = loadRow(deps, ctx);
    const version = versionFor(ctx, row, versionQuery(ctx));
    const datasetId = datasetFor(deps, ws.id, datasetQuery(ctx));
    const document: NotebookDocument = readVersion(dir, row.id, version);
    const cellId = String(ctx.params.cellId ?? '');
    if (!document.cells.some((c) => c.id === cellId)) throw apiError(404, 'not_found', `Version ${version} of this notebook has no cell "${cellId}".`);
    const outputs = await exec().outputs({ id: ws.id, dir }, row.id, version, document, datasetId, parametersQuery(ctx));
    const output = outputs.cells.find((c) => c.cellId === cellId)?.output as { kind: string; table?: TableHandle; tables?: Record<string, TableHandle> } | null;
    if (!output) throw apiError(404, 'not_found', `Cell "${cellId}" has no stored output for version ${version}; run it first.`);
    const tableName = typeof ctx.query.table === 'string' ? ctx.query.table : undefined;
    const table = output.kind === 'sql' ? output.table : tableName !== undefined ? output.tables?.[tableName] : undefined;
    if (!table) {
      const names = Object.keys(output.tables ?? {});
      throw apiError(404, 'not_found', output.kind === 'ts' && names.length > 0 ? `Name the table to page with ?table=: cell "${cellId}" made ${names.join(', ')}.` : `Cell "${cellId}" has no table result.`);
    }
    const parsed = pageRequestSchema.safeParse({ table: table.name.toLowerCase(), startRow: Number(ctx.query.startRow ?? 0), endRow: Number(ctx.query.endRow ?? 100), ...jsonQuery(ctx, 'sortModel'), ...jsonQuery(ctx, 'filterModel') });
    if (!parsed.success) throw apiError(422, 'validation_failed', parsed.error.issues.map((i) => `${i.path.join('.') || 'page'}: ${i.message}`).join('; '));
    const host = (deps.notebookHost ?? workspaceHostFactory(deps))({ workspace: { id: ws.id, dir }, user: { id: user.id }, datasetId }) as { page?: (table: TableHandle, request: unknown) => Promise<unknown>; close?: () => Promise<void> };
    if (!host.page) throw apiError(501, 'not_implemented', 'This server\'s notebook host cannot page stored tables; the output\'s first page is in GET …/outputs.');
    try {
      const { table: _name, ...request } = parsed.data;
      ctx.body = await host.page(table, request);
    } finally {
      await host.close?.();
    }
  });

  addPublicationRoutes(routes, deps);
  return routes;
}

/** `?parameters={"threshold":2000}`: the outputs of a run with those inputs (what an explore member ran). */
function parametersQuery(ctx: Context): Parameters | undefined {
  const raw = jsonQuery(ctx, 'parameters').parameters;
  if (raw === undefined) return undefined;
  const parsed = parametersSchema.safeParse(raw);
  if (!parsed.success) throw apiError(422, 'validation_failed', `parameters must be a JSON object of input names to values: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data as Parameters;
}

function jsonQuery(ctx: Context, name: string): Record<string, unknown> {
  const raw = ctx.query[name];
  if (typeof raw !== 'string') return {};
  try {
    return { [name]: JSON.parse(raw) as unknown };
  } catch {
    throw apiError(422, 'validation_failed', `${name} must be JSON (as the grid's ${name}).`);
  }
}
