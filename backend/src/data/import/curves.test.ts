import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDecimalText, readCurves } from './curves.ts';
import { fixture } from '../datasets/test-workspace.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'almready-curves-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function workbook(name: string, rows: (string | number | null)[][]): Promise<{ path: string; originalName: string }> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Curves');
  for (const row of rows) sheet.addRow(row);
  const file = path.join(dir, name);
  await book.xlsx.writeFile(file);
  return { path: file, originalName: name };
}

describe('readCurves', () => {
  it('reads the long CSV format and reports ids and currencies', async () => {
    const result = await readCurves(fixture('curves-long.csv'));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.rows).toHaveLength(7);
    expect(result.rows[3]).toEqual({ curve_id: 'EUR_EURIBOR_3M', tenor: '3M', rate: 0.032 });
    expect(result.ids).toEqual(['EUR_ESTR_OIS', 'EUR_EURIBOR_3M', 'USD_SOFR_OIS']);
    expect(result.currencies).toEqual(['EUR', 'USD']);
  });

  it('reads the wide workbook: one row per curve, tenor headers, blank cells skipped', async () => {
    const file = await workbook('curves.xlsx', [
      ['Curve', 'ON', '1M', '12M', '2Y', '10Y'],
      ['EUR_ESTR_OIS', 0.0301, 0.0302, 0.029, 0.027, 0.026],
      ['USD_SOFR_OIS', 0.045, null, 0.043, null, 0.04],
    ]);
    const result = await readCurves(file);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.rows.filter((r) => r.curve_id === 'USD_SOFR_OIS')).toEqual([
      { curve_id: 'USD_SOFR_OIS', tenor: 'ON', rate: 0.045 },
      { curve_id: 'USD_SOFR_OIS', tenor: '12M', rate: 0.043 },
      { curve_id: 'USD_SOFR_OIS', tenor: '10Y', rate: 0.04 },
    ]);
    expect(result.rows).toHaveLength(8);
  });

  it('refuses two tenors with the same pillar time in the wide workbook (12M and 1Y)', async () => {
    const file = await workbook('dup.xlsx', [
      ['Curve', '6M', '12M', '1Y', '2Y'],
      ['EUR_ESTR_OIS', 0.03, 0.029, 0.029, 'n/a'],
      ['ESTR', 0.03, null, null, null],
    ]);
    const result = await readCurves(file);
    expect(result.ok ? [] : result.errors).toEqual([
      { file: 'dup.xlsx', row: 2, column: '1Y', value: '1Y', reason: 'curve EUR_ESTR_OIS already has a pillar at the same time (12M); keep only one of them' },
      { file: 'dup.xlsx', row: 2, column: '2Y', value: 'n/a', reason: 'rate must be a finite decimal (0.025 for 2.5%)' },
      { file: 'dup.xlsx', row: 3, column: 'Curve', value: 'ESTR', reason: 'curve id "ESTR" does not start with a currency code; name it like EUR_ESTR_OIS (CCY_..., 3 capital letters)' },
    ]);
  });

  it('refuses empty, header-only and binary files with a sentence', async () => {
    const empty = path.join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const header = path.join(dir, 'header.csv');
    writeFileSync(header, 'curve_id,tenor,rate\n');
    const binary = path.join(dir, 'binary.csv');
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 255, 0, 7]));
    const reasons = await Promise.all([empty, header, binary].map(async (p) => {
      const r = await readCurves({ path: p, originalName: path.basename(p) });
      return r.ok ? '' : r.errors[0]?.reason;
    }));
    expect(reasons).toEqual(['the file is empty', 'the curves file has no data rows under its header', 'the file contains binary data, not CSV text']);
  });

  it('reads decimal commas in ;-separated files', () => {
    expect(parseDecimalText(' 3,25 ', true)).toBe(3.25);
    expect(parseDecimalText('0.5', false)).toBe(0.5);
    expect(Number.isNaN(parseDecimalText('', false))).toBe(true);
    expect(Number.isNaN(parseDecimalText('abc', false))).toBe(true);
  });
});
