/** `/:wid/runs…`: start, list, inspect, cancel, stream events, read result tables. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '@almready/contracts';
import type { Context } from 'koa';
import { openEventStream } from '../http/event-stream.ts';
import { RouteTable, workspaceRole } from '../http/route-table.ts';
import { apiError, notFound } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { access, uuidParam } from '../workspaces/permissions.ts';
import { touchWorkspace } from '../workspaces/repository.ts';
import { FINISHED, getRun, listRuns, type Run } from './repository.ts';
import { runWorkbook, tableCsv } from './exports.ts';
import { readRunTables, runDir } from './result-files.ts';
import { readResultTable } from './result-query.ts';
import { runServiceFor, type RunEvent } from './service.ts';
import { runRequestSchema, toRunSettings } from './settings.ts';
import { RESULT_TABLES, type ResultTableName } from './worker-protocol.ts';

function loadRun(deps: WorkspaceDeps, ctx: Context): Run {
  const rid = uuidParam(ctx, 'rid', 'Run');
  const run = getRun(deps.db, access(ctx).row.id, rid);
  if (!run) throw notFound('Run');
  return run;
}

function finalEvent(run: Run): RunEvent | undefined {
  // a run is marked done only together with its summary (repository.ts finishRun)
  if (run.status === 'done') return { type: 'done', summary: run.summary as RunSummary };
  if (run.status === 'failed') return { type: 'failed', message: run.error ?? 'The run failed.' };
  if (run.status === 'cancelled') return { type: 'cancelled' };
  return undefined;
}

function sse(event: RunEvent): string {
  const { type, ...data } = event;
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function runRoutes(deps: WorkspaceDeps): RouteTable {
  const routes = new RouteTable();
  const explore = { access: workspaceRole('explore') };

  routes.post('/:wid/runs', { ...explore, schema: runRequestSchema }, async (ctx) => {
    const { row, dir, user } = access(ctx);
    const body = ctx.request.body;
    const exists = deps.db.prepare('SELECT 1 FROM datasets WHERE id = ? AND workspace_id = ?').get(body.datasetId, row.id);
    if (!exists || !existsSync(join(dir, 'datasets', body.datasetId))) throw apiError(422, 'validation_failed', 'datasetId is not a dataset of this workspace; upload one first or pick one from the dataset list.');
    const run = runServiceFor(deps).start({ workspaceId: row.id, workspaceDir: dir, datasetId: body.datasetId, settings: toRunSettings(body), userId: user.id });
    touchWorkspace(deps.db, row.id);
    deps.audit.record({ action: 'run.start', userId: user.id, workspaceId: row.id, detail: { runId: run.id, datasetId: body.datasetId }, ip: ctx.ip });
    ctx.status = 202;
    ctx.body = { run: { id: run.id, status: run.status } };
  });

  routes.get('/:wid/runs', explore, (ctx) => {
    ctx.body = { runs: listRuns(deps.db, access(ctx).row.id) };
  });

  routes.get('/:wid/runs/:rid', explore, (ctx) => {
    ctx.body = { run: loadRun(deps, ctx) };
  });

  routes.post('/:wid/runs/:rid/cancel', { ...explore, body: 'none' }, (ctx) => {
    const { row, user } = access(ctx);
    const run = loadRun(deps, ctx);
    const after = runServiceFor(deps).cancel(row.id, run.id) ?? run;
    if (!FINISHED.has(run.status)) deps.audit.record({ action: 'run.cancel', userId: user.id, workspaceId: row.id, detail: { runId: run.id }, ip: ctx.ip });
    ctx.body = { run: after };
  });

  routes.get('/:wid/runs/:rid/events', explore, (ctx) => {
    const run = loadRun(deps, ctx);
    let unsubscribe = () => {};
    // The answer closes when the client goes away (or the stream ends): stop listening then.
    const events = openEventStream(ctx, () => unsubscribe());
    const done = finalEvent(run);
    if (done) {
      events.end(sse(done));
      return;
    }
    events.write(sse({ type: 'progress', phase: run.phase || run.status, fraction: run.progress }));
    unsubscribe = runServiceFor(deps).subscribe(run.id, (event) => {
      if (event.type === 'progress') events.write(sse(event));
      else events.end(sse(event));
    });
    // The run may have finished between reading the row and subscribing.
    const latest = getRun(deps.db, run.workspaceId, run.id);
    const settled = latest && finalEvent(latest);
    if (settled) events.end(sse(settled));
  });

  /** The run, once it is done and the named table is one a run writes (else the refusal). */
  function finishedRun(ctx: Context, table?: string): Run {
    const run = loadRun(deps, ctx);
    if (table !== undefined && !(RESULT_TABLES as readonly string[]).includes(table)) throw apiError(404, 'not_found', `No result table "${table}"; tables are ${RESULT_TABLES.join(', ')}.`);
    if (run.status !== 'done') throw apiError(409, 'run_not_done', `This run is ${run.status}; results exist only for finished runs.`);
    return run;
  }

  routes.get('/:wid/runs/:rid/results/:table', explore, async (ctx) => {
    const { dir, user } = access(ctx);
    const table = String(ctx.params.table ?? '');
    const run = finishedRun(ctx, table);
    ctx.body = await readResultTable(deps, ctx, dir, run, table as ResultTableName, user.id);
  });

  routes.get('/:wid/runs/:rid/results/:table/csv', explore, async (ctx) => {
    const table = String(ctx.params.table ?? '');
    const run = finishedRun(ctx, table);
    const tables = await readRunTables(runDir(access(ctx).dir, run.id));
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="run-${run.id.slice(0, 8)}-${table}.csv"`);
    ctx.body = tableCsv(tables[table as ResultTableName]);
  });

  routes.get('/:wid/runs/:rid/workbook', explore, async (ctx) => {
    const run = finishedRun(ctx);
    const tables = await readRunTables(runDir(access(ctx).dir, run.id));
    const bytes = await runWorkbook({ id: run.id, datasetId: run.datasetId, settings: run.settings, summary: run.summary as RunSummary }, { tables });
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.set('Content-Disposition', `attachment; filename="run-${run.id.slice(0, 8)}.xlsx"`);
    ctx.body = bytes;
  });

  return routes;
}
