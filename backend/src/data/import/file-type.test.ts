import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { sniffFile, sourceFormat } from './file-type.ts';

const dir = mkdtempSync(join(tmpdir(), 'almready-sniff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

it('one sniffer: content decides; a passed verdict is used as it is; a chosen extension only when there is none', () => {
  const csv = file('a', 'position_id,side\nP1,asset\n');
  const parquet = file('b', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(10)]));
  const zip = file('c', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]));
  const workbook = file('d', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('xl/workbook.xml')]));
  const binary = file('e', Buffer.from([1, 0, 2]));
  expect([csv, parquet, zip, workbook, binary].map(sniffFile)).toEqual(['csv', 'parquet', 'zip', 'xlsx', 'unknown']);
  // the upload's verdict wins over any name
  expect(sourceFormat({ path: csv, originalName: 'book.xlsx', format: 'csv' })).toBe('csv');
  expect(sourceFormat({ path: zip, originalName: 'positions.csv', format: 'zip' })).toBe('zip');
  // without one: Parquet bytes, then the caller's extension, then the bytes
  expect(sourceFormat({ path: parquet, originalName: 'positions.csv' })).toBe('parquet');
  expect(sourceFormat({ path: zip, originalName: 'book.xlsx' })).toBe('xlsx');
  expect(sourceFormat({ path: workbook, originalName: 'positions' })).toBe('xlsx');
  expect(sourceFormat({ path: zip, originalName: 'export' })).toBe('zip');
  expect(sourceFormat({ path: binary, originalName: 'x.bin' })).toBe('csv');
});
