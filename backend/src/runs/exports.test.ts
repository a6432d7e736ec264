/**
 * Run exports: every result table as CSV and the whole run as one XLSX workbook, over real HTTP
 * on a real run. Numbers stay numbers without float noise; formula-like text stays text.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_TABLES } from '@almready/contracts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, shareWorkspace, uploadDataset, waitForRun, type Member } from '../workspaces/test-fixtures.ts';
import { cleanNumber, reportingCurrencyLabel, runWorkbook, tableCsv } from './exports.ts';

describe('export cells', () => {
  it('drops float noise and keeps every real digit', () => {
    expect(cleanNumber(0.1 + 0.2)).toBe(0.3);
    expect(cleanNumber(1234567.1 + 0.2)).toBe(1234567.3);
    expect(cleanNumber(-1250000.5)).toBe(-1250000.5);
    expect(cleanNumber(0.0028)).toBe(0.0028);
    expect(cleanNumber(123456789012.34567)).toBe(123456789012.346);
    expect(cleanNumber(42)).toBe(42);
  });

  it('writes CSV with numbers bare and formula-like text neutralised', () => {
    const csv = tableCsv({
      columns: [{ name: 'product', type: 'string' }, { name: 'eve', type: 'number' }],
      rows: [{ product: '=HYPERLINK("http://x")', eve: 0.1 + 0.2 }, { product: 'loan, fixed', eve: -5 }, { product: '-1+1', eve: null }],
    });
    expect(csv).toBe('product,eve\r\n"\'=HYPERLINK(""http://x"")",0.3\r\n"loan, fixed",-5\r\n\'-1+1,\r\n');
  });

  it('states the currency of totals, and says when several are summed unconverted', () => {
    expect(reportingCurrencyLabel(['EUR'])).toBe('EUR');
    expect(reportingCurrencyLabel(['EUR', 'USD'])).toBe('EUR + USD summed without FX conversion; see the by-currency tables');
  });

  it('builds a workbook whose number cells are numbers and whose text cells cannot run', async () => {
    const table = { columns: [{ name: 'scenario', type: 'string' as const }, { name: 'eve', type: 'number' as const }], rows: [{ scenario: '@SUM(A1:A9)', eve: 0.1 + 0.2 }] };
    const summary = { asOf: '2025-06-30', method: 'full' as const, positions: 1, eveBase: 1, worstEve: { scenario: null, delta: 0 }, eveLoss: 0, niiBase: 0, worstNii: { scenario: null, delta: 0 },
      outlierTests: { tier1: null, eve: { worst_scenario: null, ratio: null, flagged: false }, nii: { worst_scenario: null, ratio: null, flagged: false } }, warnings: [], engineVersion: 'x', elapsedMs: 1, currencies: ['EUR'] };
    const bytes = await runWorkbook({ id: 'r', datasetId: 'd', settings: {}, summary } as never, { summary: {}, tables: { eve: table } as never });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as never);
    const sheet = book.getWorksheet('eve')!;
    expect(sheet.getCell('A2').value).toBe("'@SUM(A1:A9)");
    expect(sheet.getCell('B2').value).toBe(0.3);
    expect(sheet.getCell('B2').type).toBe(ExcelJS.ValueType.Number);
    expect(book.getWorksheet('summary')!.getColumn(1).values).toContain('Totals are in');
  });
});

describe('over HTTP on a real run', () => {
  let t: TestServer;
  let owner: Member;
  let stranger: Member;
  let wid: string;
  let rid: string;

  beforeAll(async () => {
    t = await startTestServer();
    [owner, stranger] = await Promise.all([member(t, 'xena'), member(t, 'yuri')]);
    wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Exports' } })).body.workspace.id;
    await shareWorkspace(t, owner, wid, []);
    const did = await uploadDataset(t, owner.token, wid, 200);
    const started = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: did, scenarios: ['base', 'parallel_up', 'parallel_down'] } });
    expect(started.status).toBe(202);
    rid = started.body.run.id;
    const run = await waitForRun(t, owner.token, wid, rid);
    expect(run.status).toBe('done');
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  const get = (path: string, token = owner.token) => fetch(`${t.url}/api/workspaces/${wid}/runs/${rid}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('states the run\'s currencies and breaks EVE and NII down by currency, adding up to the totals', async () => {
    const run = (await t.request('GET', `/api/workspaces/${wid}/runs/${rid}`, { token: owner.token })).body.run;
    expect(run.summary.currencies).toEqual(['EUR', 'USD']);
    for (const [table, value, total] of [['eve_by_currency', 'eve', run.summary.eveBase], ['nii_by_currency', 'nii', run.summary.niiBase]] as const) {
      const res = await t.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/${table}`, { token: owner.token });
      expect(res.status).toBe(200);
      const base = res.body.rows.filter((r: { scenario: string }) => r.scenario === 'base');
      expect(base.map((r: { currency: string }) => r.currency).sort()).toEqual(['EUR', 'USD']);
      expect(base.reduce((n: number, r: Record<string, number>) => n + (r[value] as number), 0)).toBeCloseTo(total, 4);
    }
  });

  it('exports every result table as CSV with the JSON table\'s rows', async () => {
    for (const table of RESULT_TABLES) {
      const res = await get(`/results/${table}/csv`);
      expect(res.status, table).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      expect(res.headers.get('content-disposition')).toContain(`-${table}.csv`);
      const lines = (await res.text()).split('\r\n').filter(Boolean);
      const json = (await t.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/${table}`, { token: owner.token })).body;
      expect(lines[0]).toBe(json.columns.map((c: { name: string }) => c.name).join(','));
      expect(lines.length - 1).toBe(json.rows.length);
    }
    expect((await get('/results/nope/csv')).status).toBe(404);
  });

  it('exports the whole run as one workbook: a summary sheet and one typed sheet per table', async () => {
    const res = await get('/workbook');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await res.arrayBuffer()) as never);
    expect(book.worksheets.map((s) => s.name)).toEqual(['summary', ...RESULT_TABLES]);
    const eve = (await t.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/eve`, { token: owner.token })).body;
    const sheet = book.getWorksheet('eve')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'scenario', 'eve', 'delta_eve', 'loss']);
    eve.rows.forEach((row: { scenario: string; eve: number }, i: number) => {
      expect(sheet.getCell(i + 2, 1).value).toBe(row.scenario);
      expect(sheet.getCell(i + 2, 2).type).toBe(ExcelJS.ValueType.Number);
      expect(sheet.getCell(i + 2, 2).value as number).toBeCloseTo(row.eve, 2);
    });
    const summary = book.getWorksheet('summary')!;
    const items = Object.fromEntries(summary.getSheetValues().slice(2).map((r) => [(r as unknown[])[1], (r as unknown[])[2]]));
    expect(items['Totals are in']).toBe('EUR + USD summed without FX conversion; see the by-currency tables');
  });

  it('a stranger gets 404 and nothing', async () => {
    const res = await get('/workbook', stranger.token);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('json');
  });
});
