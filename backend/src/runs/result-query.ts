/**
 * `GET /:wid/runs/:rid/results/:table`: a run's result table read from its Parquet file through the
 * workspace's query engine (no JSON is re-parsed). Optional query parameters page, sort and filter
 * it like a dataset grid: `startRow`, `endRow` (default the whole table, at most MAX_PAGE_ROWS
 * rows), `sort=col[:asc|:desc],…` and `filter=<grid filter model as JSON>`. The answer keeps the
 * result-table contract `{columns, rows}`; the number of matching rows is the `X-Row-Count` header.
 */
import type { Context } from 'koa';
import { MAX_PAGE_ROWS, type PageResult, type ResultTable } from '@almready/contracts';
import { apiError } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { mapQueryErrors } from '../workspaces/query-errors.ts';
import type { Run } from './repository.ts';
import { registerRun } from './service.ts';
import { runTableName } from './result-files.ts';
import type { ResultTableName } from './worker-protocol.ts';

function wholeNumber(ctx: Context, name: string, fallback: number): number {
  const raw = ctx.query[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw) || !Number.isSafeInteger(n)) throw apiError(422, 'validation_failed', `${name} must be a whole number of 0 or more, like ${name}=0.`);
  return n;
}

function sortModel(ctx: Context): { colId: string; sort: 'asc' | 'desc' }[] {
  const raw = ctx.query.sort;
  if (raw === undefined || raw === '') return [];
  if (typeof raw !== 'string') throw apiError(422, 'validation_failed', 'Give sort once, like sort=eve:desc,scenario.');
  return raw.split(',').map((part) => {
    const [colId = '', direction = 'asc', extra] = part.split(':');
    if (colId === '' || extra !== undefined || (direction !== 'asc' && direction !== 'desc')) throw apiError(422, 'validation_failed', `sort "${part}" is not column[:asc|:desc], like sort=eve:desc.`);
    return { colId, sort: direction };
  });
}

function filterModel(ctx: Context): unknown {
  const raw = ctx.query.filter;
  if (raw === undefined || raw === '') return {};
  try {
    if (typeof raw === 'string') return JSON.parse(raw) as unknown;
  } catch {
    // falls through to the message below
  }
  throw apiError(422, 'validation_failed', 'filter must be one grid filter model as JSON, like filter={"scenario":{"filterType":"text","type":"equals","filter":"base"}}.');
}

const TYPE_OF = (duckType: string): ResultTable['columns'][number]['type'] =>
  duckType === 'VARCHAR' ? 'string' : duckType === 'BOOLEAN' ? 'boolean' : 'number';

export async function readResultTable(deps: WorkspaceDeps, ctx: Context, dir: string, run: Run, table: ResultTableName, userId: string): Promise<ResultTable> {
  const queries = deps.queries;
  if (!queries?.pageTable) throw apiError(503, 'unavailable', 'The query service is not available on this server.');
  const startRow = wholeNumber(ctx, 'startRow', 0);
  const request = { startRow, endRow: wholeNumber(ctx, 'endRow', startRow + MAX_PAGE_ROWS), sortModel: sortModel(ctx), filterModel: filterModel(ctx) };
  const name = runTableName(run.id, table);
  const read = () => queries.pageTable!(dir, name, request, { userId }) as Promise<PageResult>;
  let page: PageResult;
  try {
    page = await mapQueryErrors(read);
  } catch (error) {
    // Not registered yet (a run of the earlier layout, or read before start-up registration ended).
    if ((error as { status?: number }).status !== 404 || !(await registerRun(deps, dir, run.datasetId, run.id))) {
      if ((error as { status?: number }).status === 404) return { columns: [], rows: [] };
      throw error;
    }
    page = await mapQueryErrors(read);
  }
  ctx.set('X-Row-Count', String(page.rowCount));
  return { columns: page.columns.map((c) => ({ name: c.name, type: TYPE_OF(c.type) })), rows: page.rows as ResultTable['rows'] };
}
