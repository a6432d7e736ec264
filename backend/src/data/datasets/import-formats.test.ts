import { writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../duckdb.ts';
import { importDataset } from './import-dataset.ts';
import { loadDataset } from './load-dataset.ts';
import { readMappingFile } from '../../cli/import.ts';
import { datasetEntries, fixture, importOptions, removeTempWorkspaces, tempWorkspace } from './test-workspace.ts';

afterAll(removeTempWorkspaces);

async function positionRows(ws: string, id: string, columns: string) {
  const db = await openDuckDb();
  try {
    return await db.all(`SELECT ${columns} FROM read_parquet('${path.join(ws, 'datasets', id, 'positions.parquet')}')`);
  } finally {
    db.close();
  }
}

describe('CSV variants', () => {
  it('reads a Windows-1252, ;-separated, decimal-comma file with dd/mm/yyyy dates and bank headers', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { dateFormat: 'dd/mm/yyyy', sources: { positions: fixture('positions-1252.csv') } }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.dataset.mapping).toMatchObject({ position_id: 'Identifier', side: 'Position', notional: 'Outstanding principal', rate: 'Coupon', product: 'Producto' });
    const rows = await positionRows(ws, result.dataset.id, `position_id, side, product, notional, rate, CAST(start_date AS VARCHAR) s, day_count, segmento_negocio`);
    expect(rows).toEqual([
      { position_id: 'P1', side: 'asset', product: 'Préstamo hipotecario', notional: 150000.5, rate: 0.0275, s: '2020-01-15', day_count: 'ACT/360', segmento_negocio: 'Banca minorista' },
      { position_id: 'P2', side: 'liability', product: 'Depósito a plazo', notional: 80000, rate: 0.031, s: '2024-01-01', day_count: 'ACT/365', segmento_negocio: 'Banca privada' },
    ]);
  });

  it('recognises synonyms and lets an explicit mapping win', async () => {
    const ws = tempWorkspace();
    const mapping = await readMappingFile(fixture('mapping-synonyms.json').path);
    if (!mapping.ok) throw new Error(mapping.reason);
    const result = await importDataset(importOptions(ws, { dateFormat: 'dd/mm/yyyy', mapping: mapping.mapping, sources: { positions: fixture('positions-synonyms.csv') } }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.dataset.mapping).toEqual({
      rate: 'Coupon', product: 'Desk', position_id: 'ID', side: 'Asset-Liability', currency: 'CCY', notional: 'Balance',
      maturity_date: 'Maturity', amortization: 'Amortisation', rate_type: 'Interest Type', payment_frequency_months: 'Frequency',
    });
    const rows = await positionRows(ws, result.dataset.id, 'position_id, side, product, currency, notional, payment_frequency_months f, amortization, rate_type');
    expect(rows).toEqual([{ position_id: 'X1', side: 'asset', product: 'ALM', currency: 'EUR', notional: 1000.5, f: 3, amortization: 'bullet', rate_type: 'fixed' }]);
  });

  it('names the missing required column and a mapping that points nowhere', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { mapping: { notional: 'Outstanding', foo: 'ID' }, sources: { positions: fixture('positions-synonyms.csv') } }));
    if (result.ok) throw new Error('expected refusal');
    expect(result.errors.map((e) => [e.row, e.column, e.value])).toEqual([
      [1, 'notional', 'Outstanding'],
      [1, 'foo', 'ID'],
    ]);
    expect(result.errors[0]?.reason).toContain('the file has no such column');
  });

  it.each([
    ['positions-garbage.csv', 'the file contains binary data, not CSV text'],
    ['positions-empty.csv', 'the file is empty'],
    ['positions-header-only.csv', 'the file has no position rows'],
  ])('refuses %s with a clear reason', async (name, reason) => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { sources: { positions: fixture(name) } }));
    expect(result.ok ? [] : result.errors).toEqual([{ file: name, row: 0, column: '', value: '', reason }]);
    expect(datasetEntries(ws)).toEqual([]);
  });
  it('finds a header below blank lines and numbers rows by their line in the file', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { sources: { positions: fixture('positions-leading-blank-lines.csv') } }));
    expect(result.ok ? [] : result.errors).toEqual([
      { file: 'positions-leading-blank-lines.csv', row: 5, column: 'notional', value: '-100', reason: 'notional must be greater than 0' },
    ]);
  });

  it('refuses a line with more fields than the header, naming the line', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { sources: { positions: fixture('positions-ragged.csv') } }));
    expect(result.ok ? [] : result.errors).toEqual([{
      file: 'positions-ragged.csv', row: 3, column: '', value: 'R2,asset,EUR,100,2030-01-01,bullet,fixed,0.01,extra,fields',
      reason: 'this line has 9 fields where the header has 8; quote fields that contain the separator',
    }]);
    expect(datasetEntries(ws)).toEqual([]);
  });
});

describe('XLSX and Parquet', () => {
  it('streams an XLSX sheet: numbers, dates and text cells', async () => {
    const ws = tempWorkspace();
    const file = path.join(ws, 'book.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Positions');
    sheet.addRow(['Contract ID', 'Side', 'Currency', 'Outstanding', 'Maturity', 'Amortization', 'Rate type', 'Coupon', 'Region']);
    sheet.addRow(['X-1', 'asset', 'EUR', 1250000.25, new Date(Date.UTC(2031, 2, 31)), 'annuity', 'fixed', 0.031, 'North']);
    sheet.addRow(['X-2', 'liability', 'EUR', 400000, '2027-09-30', 'bullet', 'fixed', 0.02, 'South']);
    sheet.addRow(['X-3', 'liability', 'EUR', -1, '2027-09-30', 'bullet', 'fixed', 0.02, 'South']);
    await workbook.xlsx.writeFile(file);
    const refused = await importDataset(importOptions(ws, { sources: { positions: { path: file, originalName: 'book.xlsx' } } }));
    expect(refused.ok ? [] : refused.errors).toEqual([{ file: 'book.xlsx', row: 4, column: 'notional', value: '-1', reason: 'notional must be greater than 0' }]);
    const result = await importDataset(importOptions(ws, { skipInvalid: true, sources: { positions: { path: file, originalName: 'book.xlsx' } } }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const rows = await positionRows(ws, result.dataset.id, 'position_id, notional, CAST(maturity_date AS VARCHAR) m, rate, region');
    expect(rows).toEqual([
      { position_id: 'X-1', notional: 1250000.25, m: '2031-03-31', rate: 0.031, region: 'North' },
      { position_id: 'X-2', notional: 400000, m: '2027-09-30', rate: 0.02, region: 'South' },
    ]);
  });

  it('reads Parquet made by DuckDB (typed DATE and DOUBLE columns), rows numbered from 1', async () => {
    const ws = tempWorkspace();
    const file = path.join(ws, 'book.parquet');
    const db = await openDuckDb();
    await db.run(`COPY (SELECT * FROM (VALUES ('Q1', 'asset', 'EUR', 1000.0, DATE '2030-01-31', 'bullet', 'fixed', 0.03, 7),
      ('Q2', 'asset', 'EUR', 2000.0, DATE '2020-01-31', 'bullet', 'fixed', 0.03, 8))
      t(position_id, side, currency, notional, maturity_date, amortization, rate_type, rate, branch)) TO '${file}' (FORMAT parquet)`);
    db.close();
    const refused = await importDataset(importOptions(ws, { sources: { positions: { path: file, originalName: 'book.parquet' } } }));
    expect(refused.ok ? [] : refused.errors).toEqual([
      { file: 'book.parquet', row: 2, column: 'maturity_date', value: '2020-01-31', reason: 'maturity_date is not after the analysis date 2024-06-30' },
    ]);
    const result = await importDataset(importOptions(ws, { skipInvalid: true, sources: { positions: { path: file, originalName: 'book.parquet' } } }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(await positionRows(ws, result.dataset.id, 'position_id, notional, CAST(maturity_date AS VARCHAR) m, branch')).toEqual([
      { position_id: 'Q1', notional: 1000, m: '2030-01-31', branch: '7' },
    ]);
  });

  it.each([
    ['bad.xlsx', 'the file cannot be read as an XLSX workbook'],
    ['bad.parquet', 'the file cannot be read as Parquet'],
    ['bad.zip', 'the file is not a readable ZIP archive'],
  ])('refuses a damaged %s', async (name, reason) => {
    const ws = tempWorkspace();
    const file = path.join(ws, name);
    writeFileSync(file, Buffer.from('PK\u0003\u0004 this is not really an archive at all'.repeat(20)));
    const result = await importDataset(importOptions(ws, { sources: { positions: { path: file, originalName: name } } }));
    expect(result.ok ? '' : result.errors[0]?.reason).toContain(reason);
    expect(datasetEntries(ws)).toEqual([]);
  });
});

const win1252 = (lines: string[]) => iconv.encode(`${lines.join('\r\n')}\r\n`, 'win1252');

async function bankZip(ws: string, files: Record<string, Buffer | string>): Promise<string> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  const file = path.join(ws, 'export.zip');
  writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return file;
}

describe('bank ZIP export (formats.md)', () => {
  const fixedBullet = [
    'File type;Contracts', 'Charset;ISO-8859-1', 'Decimal separator;Comma', 'Reference day;30/11/2024',
    'Identifier;Start date;Maturity date;Outstanding principal;Position;Day count convention;Indexed rate;Payment period;Producto;Moneda original;Segmento negocio',
    'FB1;01/01/2024;01/01/2029;1.000.000,00;LONG;30E/360;3,25;12M;Préstamo;EUR;Empresas',
    'FB2;15/06/2024;15/06/2026;250000;SHORT;ACT/365;2,5;6M;Depósito;EUR;Particulares',
  ];
  const variableScheduled = [
    'File type;Contracts', 'Reference day;30/11/2024',
    'Type;Identifier;Start date;Maturity date;Outstanding principal;Position;Day count convention;Last adjusted rate;Indexed curve;Interest spread;Reset period;Reset anchor date;Payment period;Interest rate floor',
    'contract;VS1;01/01/2024;31/12/2026;300000;LONG;A/360;4,1;EUR_EURIBOR_3M;1,2;3M;31/12/2024;3M;0',
    'payment;Principal;30/06/2025;100000',
    'payment;Principal;31/12/2025;100000',
    'payment;Principal;31/12/2026;100000',
  ];

  it('maps files to amortization and rate type, rates from percentage points, payments to schedules', async () => {
    const ws = tempWorkspace();
    const zip = await bankZip(ws, {
      'Export/Fixed bullet.csv': win1252(fixedBullet),
      'Export/Variable scheduled.csv': win1252(variableScheduled),
      'Export/readme.txt': 'not a bank file',
      '__MACOSX/Export/._Fixed bullet.csv': 'resource fork',
    });
    const { asOf: _asOf, ...options } = importOptions(ws, { sources: { bankZip: { path: zip, originalName: 'export.zip' } } });
    const result = await importDataset(options);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const meta = result.dataset;
    expect(meta.asOf).toBe('2024-11-30');
    expect(meta.ignoredFiles).toEqual(['Export/readme.txt']);
    expect(meta.rows).toEqual({ positions: 3, curves: 0, schedules: 3 });
    expect(meta.mapping).toMatchObject({ position_id: 'Identifier', side: 'Position', notional: 'Outstanding principal', index: 'Indexed curve', rate: 'Last adjusted rate' });
    const rows = await positionRows(ws, meta.id, `position_id, side, product, currency, notional, amortization, rate_type, rate, "index", spread,
      reset_frequency_months r, CAST(next_reset_date AS VARCHAR) nr, payment_frequency_months f, day_count, floor, segmento_negocio`);
    expect(rows).toEqual([
      { position_id: 'FB1', side: 'asset', product: 'Préstamo', currency: 'EUR', notional: 1000000, amortization: 'bullet', rate_type: 'fixed', rate: 0.0325, index: null, spread: null, r: null, nr: null, f: 12, day_count: '30/360', floor: null, segmento_negocio: 'Empresas' },
      { position_id: 'FB2', side: 'liability', product: 'Depósito', currency: 'EUR', notional: 250000, amortization: 'bullet', rate_type: 'fixed', rate: 0.025, index: null, spread: null, r: null, nr: null, f: 6, day_count: 'ACT/365', floor: null, segmento_negocio: 'Particulares' },
      { position_id: 'VS1', side: 'asset', product: null, currency: 'EUR', notional: 300000, amortization: 'scheduled', rate_type: 'floating', rate: 0.041, index: 'EUR_EURIBOR_3M', spread: 0.012, r: 3, nr: '2024-12-31', f: 3, day_count: 'ACT/360', floor: 0, segmento_negocio: null },
    ]);
    const loaded = await loadDataset(path.join(ws, 'datasets', meta.id));
    expect(Array.from(loaded.schedules.positionIndex)).toEqual([2, 2, 2]);
    expect(Array.from(loaded.schedules.principal)).toEqual([100000, 100000, 100000]);
  });

  it('reports bank rows by the file inside the ZIP and its line number', async () => {
    const ws = tempWorkspace();
    const broken = [...fixedBullet.slice(0, 6), 'FB2;15/06/2024;15/06/2023;250000;SIDEWAYS;ACT/365;2,5;6M;Depósito;EUR;Particulares'];
    const zip = await bankZip(ws, { 'Fixed bullet.csv': win1252(broken) });
    const result = await importDataset(importOptions(ws, { asOf: undefined, sources: { bankZip: { path: zip, originalName: 'export.zip' } } }));
    expect(result.ok ? [] : result.errors).toEqual([
      { file: 'export.zip/Fixed bullet.csv', row: 7, column: 'side', value: 'SIDEWAYS', reason: 'unknown side; expected one of asset, liability' },
      { file: 'export.zip/Fixed bullet.csv', row: 7, column: 'maturity_date', value: '15/06/2023', reason: 'maturity_date is not after the analysis date 2024-11-30' },
      { file: 'export.zip/Fixed bullet.csv', row: 7, column: 'start_date', value: '15/06/2024', reason: 'start_date is after maturity_date 2023-06-15' },
    ]);
    expect(datasetEntries(ws)).toEqual([]);
  });

  it('refuses a ZIP without bank files, listing what it found', async () => {
    const ws = tempWorkspace();
    const zip = await bankZip(ws, { 'notes.txt': 'hello' });
    const result = await importDataset(importOptions(ws, { sources: { bankZip: { path: zip, originalName: 'export.zip' } } }));
    expect(result.ok ? '' : result.errors[0]?.reason).toBe(
      'the ZIP holds none of the bank export files (Fixed bullet.csv, Variable annuity.csv, Non-maturity.csv, …); found only notes.txt',
    );
  });
});
