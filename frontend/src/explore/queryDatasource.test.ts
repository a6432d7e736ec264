import { describe, expect, it } from 'vitest';
import type { IGetRowsParams } from 'ag-grid-community';
import { queryBody, queryDatasource, type QueryBody } from './queryDatasource.ts';
import type { QueryResult } from '../api/types.ts';

function params(overrides: Partial<IGetRowsParams>, calls: { rows?: unknown[]; last?: number; failed?: boolean }): IGetRowsParams {
  return {
    startRow: 0,
    endRow: 100,
    sortModel: [],
    filterModel: {},
    successCallback: (rows: unknown[], last?: number) => { calls.rows = rows; calls.last = last; },
    failCallback: () => { calls.failed = true; },
    context: undefined,
    api: undefined as never,
    ...overrides,
  } as IGetRowsParams;
}

describe('queryBody', () => {
  it('carries the block, sort, filter and group-by the grid asked for', () => {
    const filterModel = { currency: { filterType: 'text', type: 'equals', filter: 'EUR' } };
    const body = queryBody('positions', { startRow: 100, endRow: 200, sortModel: [{ colId: 'notional', sort: 'desc' }], filterModel }, ['product']);
    expect(body).toEqual({ table: 'positions', startRow: 100, endRow: 200, sortModel: [{ colId: 'notional', sort: 'desc' }], filterModel, groupBy: ['product'] });
  });

  it('leaves out empty models', () => {
    expect(queryBody('curves', { startRow: 0, endRow: 50, sortModel: [], filterModel: {} }, [])).toEqual({ table: 'curves', startRow: 0, endRow: 50 });
  });
});

describe('queryDatasource', () => {
  it('hands rows and the total count to the grid', async () => {
    const sent: QueryBody[] = [];
    const counts: number[] = [];
    const answer: QueryResult = { columns: [{ name: 'position_id', type: 'VARCHAR' }], rows: [{ position_id: 'L-1' }, { position_id: 'L-2' }], rowCount: 2 };
    const source = queryDatasource(async (body) => { sent.push(body); return { ok: true, value: answer }; }, 'positions', [], { onRows: (n) => counts.push(n), onError: () => {} });
    const calls: { rows?: unknown[]; last?: number } = {};
    source.getRows(params({}, calls));
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([{ table: 'positions', startRow: 0, endRow: 100 }]);
    expect(calls.rows).toEqual(answer.rows);
    expect(calls.last).toBe(2);
    expect(counts).toEqual([2]);
  });

  it('fails the block and reports the server message', async () => {
    const messages: string[] = [];
    const source = queryDatasource(async () => ({ ok: false, error: { status: 400, code: 'bad_filter', message: 'Unknown column "x" in filter.' } }), 'positions', [], { onRows: () => {}, onError: (m) => messages.push(m) });
    const calls: { failed?: boolean } = {};
    source.getRows(params({}, calls));
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.failed).toBe(true);
    expect(messages).toEqual(['Unknown column "x" in filter.']);
  });
});
