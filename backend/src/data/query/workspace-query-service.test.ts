import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../duckdb.ts';
import { QueryError } from './query-error.ts';
import { fixturePositions, makeDataRoot, writeFixtureDataset, type FixturePosition } from './test-fixtures.ts';
import { WorkspaceQueryService } from './workspace-query-service.ts';

const positions = fixturePositions(1000);
let dataDir: string;
let ws: string;
let clock = 0;
const service = new WorkspaceQueryService({ memoryLimit: '256MB', threads: 2, idleCloseMs: 60_000, now: () => clock });

beforeAll(async () => {
  dataDir = await makeDataRoot();
  ws = await writeFixtureDataset(dataDir, 'owner1', 'ws1', 'd1', positions);
  await writeFixtureDataset(dataDir, 'owner1', 'ws1', 'd2', positions.slice(0, 30), '2025-06-30');
});
afterAll(async () => {
  await service.closeAll();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const page = (request: object) => service.page(ws, 'd1', { table: 'positions', startRow: 0, endRow: 10_000, ...request } as never);
async function ids(filterModel: object): Promise<string[]> {
  const result = await page({ filterModel, sortModel: [{ colId: 'position_id', sort: 'asc' }] });
  expect(result.rowCount).toBe(result.rows.length);
  return result.rows.map((r) => r.position_id as string);
}
const expectIds = (keep: (p: FixturePosition) => boolean) => positions.filter(keep).map((p) => p.position_id);

describe('paging and sorting', () => {
  it('returns the requested slice, typed columns and JSON-safe values', async () => {
    const result = await page({ startRow: 10, endRow: 13 });
    expect(result.rowCount).toBe(1000);
    expect(result.rows.map((r) => r.position_id)).toEqual(['P00010', 'P00011', 'P00012']);
    expect(result.columns.find((c) => c.name === 'notional')).toEqual({ name: 'notional', type: 'DOUBLE' });
    expect(result.columns.find((c) => c.name === 'maturity_date')).toEqual({ name: 'maturity_date', type: 'DATE' });
    expect(result.rows[0]).toMatchObject({ notional: positions[10]?.notional, maturity_date: positions[10]?.maturity_date, payment_frequency_months: 12, segment: 'Corporate' });
  });

  it('sorts by notional descending across pages without overlap', async () => {
    const expected = [...positions].sort((a, b) => b.notional - a.notional).map((p) => p.position_id);
    const first = await page({ startRow: 0, endRow: 100, sortModel: [{ colId: 'notional', sort: 'desc' }] });
    const second = await page({ startRow: 100, endRow: 200, sortModel: [{ colId: 'notional', sort: 'desc' }] });
    expect([...first.rows, ...second.rows].map((r) => r.position_id)).toEqual(expected.slice(0, 200));
  });

  it('answers the other dataset tables and switches datasets within one workspace', async () => {
    const curves = await service.page(ws, 'd1', { table: 'curves', startRow: 0, endRow: 10, sortModel: [{ colId: 'rate', sort: 'desc' }] });
    expect(curves.rows.map((r) => [r.curve_id, r.tenor, r.rate])).toEqual([['EUR_EURIBOR_3M', '1Y', 0.032], ['EUR_ESTR_OIS', '1Y', 0.03], ['EUR_ESTR_OIS', '5Y', 0.028]]);
    const schedules = await service.page(ws, 'd1', { table: 'schedules', startRow: 0, endRow: 10 });
    expect(schedules.rows).toEqual([{ position_id: 'P00001', date: '2025-06-30', principal: 500 }, { position_id: 'P00001', date: '2025-12-31', principal: 500 }]);
    expect((await service.page(ws, 'd2', { table: 'positions', startRow: 0, endRow: 1 })).rowCount).toBe(30);
    expect((await service.page(ws, 'd1', { table: 'positions', startRow: 0, endRow: 1 })).rowCount).toBe(1000);
  });

  it('refuses bad requests with a sentence saying what to fix', async () => {
    await expect(page({ startRow: 0, endRow: 20_000 })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('at most 10000 rows') });
    await expect(page({ sortModel: [{ colId: 'nope', sort: 'asc' }] })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('unknown column "nope"') });
    await expect(service.page(ws, 'd1', { table: 'eve', startRow: 0, endRow: 1 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.page(ws, 'd9', { table: 'positions', startRow: 0, endRow: 1 })).rejects.toMatchObject({ code: 'not_found', message: 'Dataset d9 does not exist in this workspace.' });
    await expect(service.page(ws, '../ws2', { table: 'positions', startRow: 0, endRow: 1 })).rejects.toBeInstanceOf(QueryError);
    await expect(page({ filterModel: { notional: { filterType: 'number', type: 'equals', filter: 'x' } } })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(page({ filterModel: { product: { filterType: 'number', type: 'equals', filter: 1 } } })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('not a number') });
  });
});

describe('filters', () => {
  it('text filters are case-insensitive and blanks pass the negative ones', async () => {
    const text = (type: string, filter?: string) => ids({ product: { filterType: 'text', type, filter } });
    expect(await text('contains', 'LOAN')).toEqual(expectIds((p) => p.product.includes('loan')));
    expect(await text('notContains', 'loan')).toEqual(expectIds((p) => !p.product.includes('loan')));
    expect(await text('equals', 'Mortgage')).toEqual(expectIds((p) => p.product === 'mortgage'));
    expect(await text('notEqual', 'mortgage')).toEqual(expectIds((p) => p.product !== 'mortgage'));
    expect(await text('startsWith', 'corp')).toEqual(expectIds((p) => p.product.startsWith('corp')));
    expect(await text('endsWith', '_deposit')).toEqual(expectIds((p) => p.product.endsWith('_deposit')));
    expect(await ids({ segment: { filterType: 'text', type: 'blank' } })).toEqual(expectIds((p) => p.segment === null));
    expect((await ids({ segment: { filterType: 'text', type: 'notBlank' } })).length).toBe(1000 - 91);
    expect(await ids({ segment: { filterType: 'text', type: 'notEqual', filter: 'corporate' } })).toEqual(expectIds((p) => p.segment !== 'Corporate'));
  });

  it('number filters, inRange excluding both bounds', async () => {
    const num = (type: string, filter?: number, filterTo?: number) => ids({ notional: { filterType: 'number', type, filter, filterTo } });
    expect(await num('equals', 50_000)).toEqual(expectIds((p) => p.notional === 50_000));
    expect((await num('notEqual', 50_000)).length).toBe(999);
    expect(await num('lessThan', 5000)).toEqual(expectIds((p) => p.notional < 5000));
    expect(await num('lessThanOrEqual', 5000)).toEqual(expectIds((p) => p.notional <= 5000));
    expect(await num('greaterThan', 95_000)).toEqual(expectIds((p) => p.notional > 95_000));
    expect(await num('greaterThanOrEqual', 95_000)).toEqual(expectIds((p) => p.notional >= 95_000));
    expect(await num('inRange', 10_000, 12_000)).toEqual(expectIds((p) => p.notional > 10_000 && p.notional < 12_000));
    expect(await ids({ rate: { filterType: 'number', type: 'blank' } })).toEqual(['P00000', 'P00097', 'P00194', 'P00291', 'P00388', 'P00485', 'P00582', 'P00679', 'P00776', 'P00873', 'P00970']);
    expect((await ids({ rate: { filterType: 'number', type: 'notBlank' } })).length).toBe(989);
  });

  it('date filters take AG Grid date-times and compare the date', async () => {
    const date = (type: string, dateFrom?: string, dateTo?: string) => ids({ maturity_date: { filterType: 'date', type, dateFrom, dateTo } });
    const d = (p: FixturePosition) => p.maturity_date;
    expect(await date('equals', `${positions[7]?.maturity_date} 00:00:00`)).toEqual(expectIds((p) => d(p) === positions[7]?.maturity_date));
    expect(await date('lessThan', '2025-03-01')).toEqual(expectIds((p) => d(p) !== null && (d(p) as string) < '2025-03-01'));
    expect(await date('greaterThan', '2034-06-01')).toEqual(expectIds((p) => d(p) !== null && (d(p) as string) > '2034-06-01'));
    expect(await date('inRange', '2026-01-01', '2026-02-01')).toEqual(expectIds((p) => d(p) !== null && (d(p) as string) > '2026-01-01' && (d(p) as string) < '2026-02-01'));
    expect(await date('blank')).toEqual(expectIds((p) => d(p) === null));
    expect((await date('notBlank')).length).toBe(980);
    await expect(date('equals', '31/12/2024')).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('yyyy-mm-dd') });
  });

  it('set filters (with blanks) and combined AND/OR conditions', async () => {
    expect(await ids({ currency: { filterType: 'set', values: ['GBP'] }, segment: { filterType: 'set', values: [null, 'Retail, "North"'] } }))
      .toEqual(expectIds((p) => p.currency === 'GBP' && (p.segment === null || p.segment === 'Retail, "North"')));
    expect(await ids({ currency: { filterType: 'set', values: [] } })).toEqual([]);
    expect(await ids({ notional: { filterType: 'number', operator: 'OR', conditions: [{ type: 'lessThan', filter: 3000 }, { type: 'greaterThan', filter: 98_000 }] } }))
      .toEqual(expectIds((p) => p.notional < 3000 || p.notional > 98_000));
    expect(await ids({ product: { filterType: 'text', operator: 'AND', condition1: { type: 'contains', filter: 'loan' }, condition2: { type: 'startsWith', filter: 'cons' } } }))
      .toEqual(expectIds((p) => p.product === 'consumer_loan'));
  });
});

describe('group-by', () => {
  it('computes count, sum, notional-weighted rate and maturity years per group', async () => {
    const result = await page({ groupBy: ['product', 'currency'], sortModel: [{ colId: 'sum_notional', sort: 'desc' }] });
    expect(result.rowCount).toBe(12);
    expect(result.columns.map((c) => c.name)).toEqual(['product', 'currency', 'count', 'sum_notional', 'wavg_rate', 'wavg_maturity_years']);
    const asOf = Date.parse('2024-12-31T00:00:00Z');
    const expected = new Map<string, { count: number; sum: number; rateNum: number; rateDen: number; yNum: number; yDen: number }>();
    for (const p of positions) {
      const key = `${p.product}|${p.currency}`;
      const g = expected.get(key) ?? { count: 0, sum: 0, rateNum: 0, rateDen: 0, yNum: 0, yDen: 0 };
      g.count += 1; g.sum += p.notional;
      if (p.rate !== null) { g.rateNum += p.notional * p.rate; g.rateDen += p.notional; }
      if (p.maturity_date !== null) { g.yNum += p.notional * (Date.parse(`${p.maturity_date}T00:00:00Z`) - asOf) / 86_400_000 / 365; g.yDen += p.notional; }
      expected.set(key, g);
    }
    const sums = result.rows.map((r) => r.sum_notional as number);
    expect(sums).toEqual([...sums].sort((a, b) => b - a));
    for (const row of result.rows) {
      const g = expected.get(`${row.product}|${row.currency}`);
      expect(row.count).toBe(g?.count);
      expect(row.sum_notional).toBeCloseTo(g?.sum ?? NaN, 6);
      expect(row.wavg_rate).toBeCloseTo((g?.rateNum ?? NaN) / (g?.rateDen ?? NaN), 12);
      expect(row.wavg_maturity_years).toBeCloseTo((g?.yNum ?? NaN) / (g?.yDen ?? NaN), 9);
    }
  });

  it('filters rows before grouping and groups by their aggregates', async () => {
    const result = await page({ groupBy: ['currency'], filterModel: { product: { filterType: 'text', type: 'contains', filter: 'loan' }, count: { filterType: 'number', type: 'greaterThan', filter: 166 } } });
    const counts = ['EUR', 'USD', 'GBP'].map((c) => [c, positions.filter((p) => p.currency === c && p.product.includes('loan')).length] as const);
    expect(result.rows.map((r) => [r.currency, r.count])).toEqual(counts.filter(([, n]) => n > 166).sort());
    expect(result.rowCount).toBe(result.rows.length);
  });
});

describe('CSV export', () => {
  it('streams every matching row as RFC 4180 CSV', async () => {
    let csv = '';
    const { rows } = await service.exportCsv(ws, 'd1', { table: 'positions', filterModel: { position_id: { filterType: 'set', values: ['P00007', 'P00011', 'P00014'] } }, sortModel: [{ colId: 'position_id', sort: 'asc' }] }, (chunk) => { csv += chunk; });
    expect(rows).toBe(3);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('position_id,side,product,currency,notional,start_date,maturity_date,amortization,rate_type,rate,index,spread,payment_frequency_months,reset_frequency_months,next_reset_date,day_count,segment');
    expect(lines[1]).toBe(`P00007,asset,corporate_loan,USD,${positions[7]?.notional},2020-01-08,${positions[7]?.maturity_date},bullet,floating,0.017,EUR_EURIBOR_3M,0.005,12,3,2025-03-01,ACT/365,"Retail, ""North"""`);
    expect(lines[3]).toMatch(/^P00014,.*,"Retail, ""North"""$/);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
  });

  it('exports a grouped table into a Node stream', async () => {
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const { rows } = await service.exportCsv(ws, 'd1', { table: 'positions', groupBy: ['currency'], sortModel: [{ colId: 'currency', sort: 'asc' }] }, out);
    expect(rows).toBe(3);
    expect(chunks.join('').split('\r\n').slice(0, 2)).toEqual(['currency,count,sum_notional,wavg_rate,wavg_maturity_years', expect.stringMatching(/^EUR,334,/)]);
  });
});

describe('read-only SQL', () => {
  it('answers SELECT, WITH, VALUES, DESCRIBE with JSON-safe values and flags truncation', async () => {
    const r = await service.runSql(ws, 'd1', "select currency, count(*) as n, sum(notional)::decimal(18,2) as s, max(maturity_date) as m from positions group by 1 order by 1;", { maxRows: 2 });
    expect(r.truncated).toBe(true);
    expect(r.columns).toEqual([{ name: 'currency', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }, { name: 's', type: 'DECIMAL(18,2)' }, { name: 'm', type: 'DATE' }]);
    const eur = positions.filter((p) => p.currency === 'EUR');
    expect(r.rows[0]).toEqual({ currency: 'EUR', n: 334, s: eur.reduce((a, p) => a + p.notional, 0), m: eur.map((p) => p.maturity_date ?? '').sort().at(-1) });
    expect(r.rows).toHaveLength(2);
    expect(await service.runSql(ws, 'd1', 'with x as (select 2 as a) select a * 21 as b from x -- the answer')).toEqual({ columns: [{ name: 'b', type: 'INTEGER' }], rows: [{ b: 42 }], truncated: false });
    expect((await service.runSql(ws, 'd1', 'values (1, 2)')).rows).toEqual([{ col0: 1, col1: 2 }]);
    expect((await service.runSql(ws, 'd1', 'describe curves')).rows.map((x) => x.column_name)).toEqual(['curve_id', 'tenor', 'rate', 'time_years']);
    expect((await service.runSql(ws, 'd1', 'select count(*) as n from schedules')).rows).toEqual([{ n: 2 }]);
  });

  it('reports user mistakes as bad_request', async () => {
    await expect(service.runSql(ws, 'd1', 'select nope from positions')).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('nope') });
    await expect(service.runSql(ws, 'd1', 'selec 1')).rejects.toMatchObject({ code: 'syntax_error', message: expect.stringContaining('selec') });
    await expect(service.runSql(ws, 'd1', 'select (1')).rejects.toMatchObject({ code: 'syntax_error', message: expect.stringContaining('syntax error') });
    await expect(service.runSql(ws, 'd1', 'select 1', { maxRows: 0 })).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('result tables and instance lifecycle', () => {
  it('registers a run result Parquet as a table for grids and SQL', async () => {
    const dir = path.join(ws, 'runs', 'r1');
    await fs.mkdir(dir, { recursive: true });
    const db = await openDuckDb();
    await db.run(`COPY (SELECT * FROM (VALUES ('EUR', 'parallel_up', -1250000.5), ('EUR', 'parallel_down', 830000.25)) AS t(currency, scenario, delta_eve)) TO '${dir}/eve.parquet' (FORMAT parquet)`);
    db.close();
    await service.registerTable(ws, 'run_r1_eve', path.join(dir, 'eve.parquet'));
    const grid = await service.page(ws, 'd1', { table: 'run_r1_eve', startRow: 0, endRow: 10, sortModel: [{ colId: 'delta_eve', sort: 'asc' }] });
    expect(grid.rows).toEqual([{ currency: 'EUR', scenario: 'parallel_up', delta_eve: -1250000.5 }, { currency: 'EUR', scenario: 'parallel_down', delta_eve: 830000.25 }]);
    expect((await service.runSql(ws, 'd2', 'select sum(delta_eve) as s from run_r1_eve')).rows).toEqual([{ s: -420000.25 }]);
    await expect(service.registerTable(ws, 'positions', path.join(dir, 'eve.parquet'))).rejects.toMatchObject({ code: 'bad_request' });
    await fs.copyFile(path.join(dir, 'eve.parquet'), path.join(ws, 'loose.parquet'));
    await expect(service.registerTable(ws, 'loose', path.join(ws, 'loose.parquet'))).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('runs/ or datasets/') });
    await expect(service.registerTable(ws, 'gone', path.join(dir, 'nope.parquet'))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('closes an idle instance, removes its spill folder and reopens on demand', async () => {
    await page({ startRow: 0, endRow: 1 });
    expect(service.openWorkspaces()).toEqual([ws]);
    await expect(fs.stat(path.join(ws, '.duckdb-tmp'))).resolves.toBeTruthy();
    clock += 59_000;
    await service.closeIdle();
    expect(service.openWorkspaces()).toEqual([ws]);
    clock += 2_000;
    await service.closeIdle();
    expect(service.openWorkspaces()).toEqual([]);
    await expect(fs.stat(path.join(ws, '.duckdb-tmp'))).rejects.toThrow();
    expect((await service.runSql(ws, 'd1', 'select count(*) as n from run_r1_eve')).rows).toEqual([{ n: 2 }]);
  });
});

describe('edge cases of paging', () => {
  it('pages a table that has its own file_row_number column, and groups past the last page', async () => {
    const dir = path.join(ws, 'runs', 'r2');
    await fs.mkdir(dir, { recursive: true });
    const db = await openDuckDb();
    await db.run(`COPY (SELECT range AS file_row_number, (range * 37) % 10 AS v FROM range(20)) TO '${dir}/odd.parquet' (FORMAT parquet)`);
    db.close();
    await service.registerTable(ws, 'odd', path.join(dir, 'odd.parquet'));
    const result = await service.page(ws, 'd1', { table: 'odd', startRow: 0, endRow: 4, sortModel: [{ colId: 'v', sort: 'desc' }, { colId: 'file_row_number', sort: 'asc' }] });
    expect(result.rows).toEqual([{ file_row_number: 7, v: 9 }, { file_row_number: 17, v: 9 }, { file_row_number: 4, v: 8 }, { file_row_number: 14, v: 8 }]);
    expect(result.rowCount).toBe(20);
    const past = await page({ groupBy: ['currency'], startRow: 10, endRow: 20 });
    expect(past).toMatchObject({ rows: [], rowCount: 3 });
  });
});

describe('concurrency', () => {
  it('serialises interleaved requests for two datasets of one workspace without mixing them', async () => {
    const requests = Array.from({ length: 24 }, (_, i) => {
      const datasetId = i % 2 === 0 ? 'd1' : 'd2';
      return i % 3 === 0
        ? service.runSql(ws, datasetId, 'select count(*) as n from positions').then((r) => [datasetId, r.rows[0]?.n])
        : service.page(ws, datasetId, { table: 'positions', startRow: 0, endRow: 5, sortModel: [{ colId: 'notional', sort: 'asc' }] }).then((r) => [datasetId, r.rowCount]);
    });
    const answers = await Promise.all(requests);
    expect(answers).toEqual(answers.map(([d]) => [d, d === 'd1' ? 1000 : 30]));
  });

  it('answers other requests of the workspace while a slow statement runs', async () => {
    const slow = service.runSql(ws, 'd1', 'select count(*) from range(20000000000) a').then(() => null, (e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const [grid, sql] = await Promise.all([
      service.page(ws, 'd2', { table: 'positions', startRow: 0, endRow: 2, sortModel: [{ colId: 'notional', sort: 'desc' }], filterModel: { currency: { filterType: 'set', values: ['USD'] } } }),
      service.runSql(ws, 'd2', 'select count(*) as n from positions'),
    ]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(grid.rowCount).toBe(10);
    expect(sql.rows).toEqual([{ n: 30 }]);
    await service.close(ws);
    expect(await slow).toMatchObject({ code: 'not_found' });
  });

  it('answers identical concurrent pages alike, and each dataset its own', async () => {
    const request = { table: 'positions', startRow: 3, endRow: 6, sortModel: [{ colId: 'rate', sort: 'asc' }] } as const;
    const answers = await Promise.all([1, 2, 3, 4].map((i) => service.page(ws, i % 2 === 0 ? 'd1' : 'd2', request as never)));
    expect(answers.map((a) => a.rowCount)).toEqual([30, 1000, 30, 1000]);
    expect(answers[0]).toEqual(answers[2]);
    expect(answers[1]).toEqual(answers[3]);
    const byRate = (n: number) => [...positions.slice(0, n).entries()].sort(([i, a], [j, b]) => (a.rate ?? Infinity) - (b.rate ?? Infinity) || i - j).slice(3, 6).map(([, p]) => p.position_id);
    expect(answers[0]?.rows.map((r) => r.position_id)).toEqual(byRate(30));
    expect(answers[1]?.rows.map((r) => r.position_id)).toEqual(byRate(1000));
  });

  it('long exports leave a connection free for grid pages', async () => {
    const two = new WorkspaceQueryService({ memoryLimit: '256MB', threads: 1, connections: 2 });
    try {
      let unblock = () => {};
      const blocked = new Promise<void>((resolve) => { unblock = resolve; });
      const slowSink = async () => blocked;
      const exports = [two.exportCsv(ws, 'd1', { table: 'positions' }, slowSink), two.exportCsv(ws, 'd2', { table: 'positions' }, slowSink)];
      await new Promise((resolve) => setTimeout(resolve, 200));
      const grid = await two.page(ws, 'd1', { table: 'positions', startRow: 0, endRow: 1, filterModel: { currency: { filterType: 'set', values: ['GBP'] } } });
      expect(grid.rowCount).toBe(333);
      unblock();
      expect(await Promise.all(exports)).toEqual([{ rows: 1000 }, { rows: 30 }]);
    } finally {
      await two.closeAll();
    }
  });

  it('pages computed ahead of a sorted request equal pages computed one by one', async () => {
    const plain = new WorkspaceQueryService({ memoryLimit: '256MB', threads: 2, pageCacheCells: 0 });
    try {
      const request = (startRow: number) => ({ table: 'positions', startRow, endRow: startRow + 150, sortModel: [{ colId: 'maturity_date', sort: 'desc' }], filterModel: { side: { filterType: 'text', type: 'equals', filter: 'asset' } } });
      const starts = [300, 450, 600, 750, 900];
      const ahead = [];
      for (const start of starts) ahead.push(await service.page(ws, 'd1', request(start) as never));
      const oneByOne = await Promise.all(starts.map((start) => plain.page(ws, 'd1', request(start) as never)));
      expect(ahead).toEqual(oneByOne);
      expect(ahead.map((p) => p.rows.length)).toEqual([150, 150, 150, 50, 0]);
      expect(ahead[0]?.rowCount).toBe(800);
      const expected = positions.map((p, i) => [p, i] as const).filter(([p]) => p.side === 'asset')
        .sort(([a, i], [b, j]) => (b.maturity_date ?? '').localeCompare(a.maturity_date ?? '') || i - j)
        .map(([p]) => p.position_id);
      // DuckDB sorts NULL last in either direction; non-maturing rows have none.
      const nulls = expected.filter((id) => positions.find((p) => p.position_id === id)?.maturity_date === null);
      const ordered = [...expected.filter((id) => !nulls.includes(id)), ...nulls];
      expect(ahead.flatMap((p) => p.rows.map((r) => r.position_id))).toEqual(ordered.slice(300, 800));
    } finally {
      await plain.closeAll();
    }
  });

  it('answers a closed-while-running request with a retry message, then reopens', async () => {
    const slow = service.runSql(ws, 'd1', 'select count(*) from range(3000000000) a').then(() => null, (e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await service.close(ws);
    expect(await slow).toMatchObject({ code: 'not_found', message: expect.stringContaining('send the request again') });
    expect((await service.runSql(ws, 'd1', 'select 1 as one')).rows).toEqual([{ one: 1 }]);
  });
});
