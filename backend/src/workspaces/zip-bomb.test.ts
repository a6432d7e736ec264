/**
 * Breach: ZIP bombs. A bank export or workbook of a few megabytes that inflates to a gigabyte is
 * refused at once, with the entry and the limit named; the server keeps answering; no dataset,
 * upload folder or import folder is left. A good bank export is still parsed, off the request thread.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, type Member } from './test-fixtures.ts';
import { BANK_HEAD, bankRow, bankRowsChunk, deflatedEntry, repeatedEntry, zipArchive, type ZipEntryData } from './zip-fixtures.ts';

const MB = 1024 * 1024;
let t: TestServer;
let small: TestServer;
let owner: Member;
let smallOwner: Member;
let wid: string;
let smallWid: string;
let attempts = 0;

function datasetsDir(s: TestServer, m: Member, w: string): string[] {
  try {
    return readdirSync(join(s.dataDir, 'workspaces', m.id, w, 'datasets')).sort();
  } catch {
    return [];
  }
}

function form(fields: Record<string, [Buffer, string]>): FormData {
  const f = new FormData();
  f.set('name', 'Attack');
  for (const [field, [bytes, name]] of Object.entries(fields)) f.set(field, new Blob([new Uint8Array(bytes)]), name);
  return f;
}

/** Uploads while pinging the server; returns the answer and the slowest ping. */
async function attack(s: TestServer, token: string, w: string, body: FormData) {
  attempts += 1;
  let done = false;
  let slowest = 0;
  const pings = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await s.request('GET', '/api/auth/me', { token });
      expect(res.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const started = performance.now();
  const res = await s.request('POST', `/api/workspaces/${w}/datasets`, { token, body });
  const ms = performance.now() - started;
  done = true;
  await pings;
  return { res, ms, slowest };
}

function gigabyteBankBomb(): Buffer {
  const chunk = bankRowsChunk(MB);
  return zipArchive([repeatedEntry('Fixed bullet.csv', BANK_HEAD, chunk, 1024)]);
}

function workbookWith(sheet: ZipEntryData): Buffer {
  return zipArchive([
    deflatedEntry('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    deflatedEntry('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>'),
    sheet,
  ]);
}

/** Bank rows with varied numbers: compresses a few times, like a real export. */
function honestRows(from: number, bytes: number): string {
  let text = '';
  for (let i = from; text.length < bytes; i += 1) text += bankRow(i).replace('3,25', `${(i * 7919) % 1000},${(i * 104729) % 100}`);
  return text;
}

beforeAll(async () => {
  t = await startTestServer();
  small = await startTestServer({ env: { zipLimits: { entryBytes: 4 * MB, totalBytes: 6 * MB, ratio: 100, entries: 1000 } } });
  owner = await member(t, 'zora');
  smallOwner = await member(small, 'sam');
  wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Bombs' } })).body.workspace.id;
  smallWid = (await small.request('POST', '/api/workspaces', { token: smallOwner.token, body: { name: 'Limits' } })).body.workspace.id;
});

afterAll(async () => {
  await t?.stop();
  await small?.stop();
  console.log(`zip-bomb.test.ts: ${attempts} attack uploads`);
});

describe('ZIP bombs', () => {
  it('a 1 GiB bank CSV in a ~1 MB ZIP is refused at once, naming the entry and the ratio limit', async () => {
    const bomb = gigabyteBankBomb();
    expect(bomb.length).toBeLessThan(4 * MB);
    const { res, ms, slowest } = await attack(t, owner.token, wid, form({ positions: [bomb, 'bank-export.zip'] }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toContain('bank-export.zip/Fixed bullet.csv expands');
    expect(res.body.error.message).toContain('over the limit of 100 (ALMREADY_MAX_ZIP_RATIO)');
    expect(res.body.error.details.errors).toHaveLength(1);
    // refused from the directory, not after minutes of inflating (figures printed for the record)
    console.log(`1 GiB bank bomb (${(bomb.length / MB).toFixed(2)} MB): answered in ${ms.toFixed(0)} ms, slowest ping ${slowest.toFixed(0)} ms`);
    expect(ms).toBeLessThan(10_000);
    expect(datasetsDir(t, owner, wid)).toEqual([]);
    expect((await t.request('GET', `/api/workspaces/${wid}/datasets`, { token: owner.token })).body.datasets).toEqual([]);
  });

  it('an entry over the size limit and entries over the total limit are refused with the limit named', async () => {
    const big = deflatedEntry('Fixed bullet.csv', BANK_HEAD + honestRows(0, 5 * MB));
    const one = await attack(small, smallOwner.token, smallWid, form({ positions: [zipArchive([big]), 'export.zip'] }));
    expect(one.res.status).toBe(422);
    expect(one.res.body.error.message).toMatch(/export\.zip\/Fixed bullet\.csv expands to 5(\.\d)? MB, over the limit of 4 MB per file in a ZIP \(ALMREADY_MAX_ZIP_ENTRY_MB\)/);

    const parts = [deflatedEntry('Fixed bullet.csv', BANK_HEAD + honestRows(0, 3.5 * MB)), deflatedEntry('Fixed linear.csv', BANK_HEAD + honestRows(100_000, 3.5 * MB))];
    const two = await attack(small, smallOwner.token, smallWid, form({ positions: [zipArchive(parts), 'export.zip'] }));
    expect(two.res.status).toBe(422);
    expect(two.res.body.error.message).toContain('export.zip expands to more than 6 MB in total (at Fixed linear.csv), over the limit of ALMREADY_MAX_ZIP_TOTAL_MB');
    expect(datasetsDir(small, smallOwner, smallWid)).toEqual([]);
  });

  it('six hundred entries just under the ratio floor are refused by the ratio of the whole archive', async () => {
    const small = repeatedEntry('Fixed bullet.csv', BANK_HEAD, bankRowsChunk(MB - 4096), 1);
    const entries = Array.from({ length: 600 }, (_, i) => ({ ...small, name: `branch-${i}/Fixed bullet.csv` }));
    const archive = zipArchive(entries);
    expect(archive.length).toBeLessThan(4 * MB);
    const { res } = await attack(t, owner.token, wid, form({ positions: [archive, 'branches.zip'] }));
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/branches\.zip expands \d+ times its compressed size \(at branch-1\/Fixed bullet\.csv\), over the limit of 100 \(ALMREADY_MAX_ZIP_RATIO\)/);
    expect(datasetsDir(t, owner, wid)).toEqual([]);
  });

  it('an entry whose directory understates its size is stopped while inflating', async () => {
    const liar = { ...repeatedEntry('Fixed bullet.csv', BANK_HEAD, bankRowsChunk(MB), 64), declaredSize: 200_000 };
    const { res } = await attack(t, owner.token, wid, form({ positions: [zipArchive([liar]), 'export.zip'] }));
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('export.zip/Fixed bullet.csv: the file inflates past the size its ZIP directory declares');
    expect(datasetsDir(t, owner, wid)).toEqual([]);
  });

  it('XLSX bombs, as positions or as curves, are refused before the workbook is parsed', async () => {
    const sheet = repeatedEntry('xl/worksheets/sheet1.xml', '<worksheet><sheetData>', Buffer.from('<row><c t="inlineStr"><is><t>x</t></is></c></row>'.repeat(20_000)), 1024);
    const workbook = workbookWith(sheet);
    const asPositions = await attack(t, owner.token, wid, form({ positions: [workbook, 'book.xlsx'] }));
    expect(asPositions.res.status).toBe(422);
    expect(asPositions.res.body.error.message).toContain('book.xlsx/xl/worksheets/sheet1.xml expands');
    expect(asPositions.res.body.error.message).toContain('ALMREADY_MAX_ZIP_RATIO');

    // a bomb hidden between listed entries, where a streaming reader would find it
    const hidden = zipArchive([
      deflatedEntry('[Content_Types].xml', '<Types/>'),
      { ...sheet, name: 'xl/worksheets/sheet1.xml', hidden: true },
      deflatedEntry('xl/workbook.xml', '<workbook/>'),
    ]);
    const asHidden = await attack(t, owner.token, wid, form({ positions: [hidden, 'hidden.xlsx'] }));
    expect(asHidden.res.status).toBe(422);
    expect(asHidden.res.body.error.message).toMatch(/hidden\.xlsx holds data its ZIP directory does not list \(bytes \d+–\d+ before xl\/workbook\.xml\)/);

    const liar = workbookWith({ ...repeatedEntry('xl/worksheets/sheet1.xml', '<worksheet><sheetData>', Buffer.from('<row/>'.repeat(100_000)), 100), declaredSize: 50_000 });
    const csv = 'position_id,side,currency,notional,maturity_date,amortization,rate_type,rate\nA,asset,EUR,100,2030-01-01,bullet,fixed,0.01\n';
    const curvesForm = form({ positions: [Buffer.from(csv), 'p.csv'], curves: [liar, 'curves.xlsx'] });
    curvesForm.set('as_of', '2025-06-30');
    const asCurves = await attack(t, owner.token, wid, curvesForm);
    expect(asCurves.res.status).toBe(422);
    expect(asCurves.res.body.error.message).toContain('curves.xlsx: curves.xlsx/xl/worksheets/sheet1.xml inflates past the size its ZIP directory declares');
    expect(datasetsDir(t, owner, wid)).toEqual([]);
  });

  it('a good bank export of ~1 MB still imports, parsed off the request thread', async () => {
    const good = zipArchive([deflatedEntry('Fixed bullet.csv', BANK_HEAD + honestRows(0, MB))]);
    const body = form({ positions: [good, 'export.zip'] });
    const { res, ms, slowest } = await attack(t, owner.token, wid, body);
    attempts -= 1; // not an attack
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    expect(res.body.dataset.rows.positions).toBeGreaterThan(15_000);
    console.log(`good bank export (${(good.length / MB).toFixed(2)} MB, ${res.body.dataset.rows.positions} rows): imported in ${ms.toFixed(0)} ms, slowest ping ${slowest.toFixed(0)} ms`);
    expect(datasetsDir(t, owner, wid)).toEqual([res.body.dataset.id]);
  });
});

describe('curves, read whole on the request thread', () => {
  it('a curves file or workbook over 16 MB is refused before it is parsed', async () => {
    const csv = 'position_id,side,currency,notional,maturity_date,amortization,rate_type,rate\nA,asset,EUR,100,2030-01-01,bullet,fixed,0.01\n';
    const pillars = (n: number) => {
      let text = 'curve_id,tenor,rate\n';
      for (let i = 0; text.length < n; i += 1) text += `EUR_C${i},${(i % 30) + 1}Y,0.0${i % 97}\n`;
      return text;
    };
    const big = Buffer.from(pillars(17 * MB));
    const asCsv = form({ positions: [Buffer.from(csv), 'p.csv'], curves: [big, 'curves.csv'] });
    asCsv.set('as_of', '2025-06-30');
    const one = await attack(t, owner.token, wid, asCsv);
    expect(one.res.status).toBe(422);
    expect(one.res.body.error.message).toContain('curves.csv: the curves file is 17.0 MB; a curves file may be at most 16 MB');

    const workbook = workbookWith(deflatedEntry('xl/worksheets/sheet1.xml', `<worksheet><sheetData>${pillars(20 * MB)}</sheetData></worksheet>`));
    expect(workbook.length).toBeLessThan(16 * MB);
    const asXlsx = form({ positions: [Buffer.from(csv), 'p.csv'], curves: [workbook, 'curves.xlsx'] });
    asXlsx.set('as_of', '2025-06-30');
    const two = await attack(t, owner.token, wid, asXlsx);
    expect(two.res.status).toBe(422);
    expect(two.res.body.error.message).toMatch(/curves\.xlsx: the curves workbook inflates to 20\.\d MB; a curves file may be at most 16 MB/);
    expect(datasetsDir(t, owner, wid).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
