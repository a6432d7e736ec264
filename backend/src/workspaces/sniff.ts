/**
 * File type by content, never by name or client-declared type: `PK\x03\x04` is a ZIP (an XLSX
 * workbook when it holds `xl/workbook.xml`, else a bank export), `PAR1` is Parquet, text without
 * NUL bytes is CSV. Anything else is refused.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type SniffedType = 'csv' | 'xlsx' | 'zip' | 'parquet' | 'unknown';

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

export function sniffFile(path: string): SniffedType {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = readAt(fd, 0, Math.min(size, 8192));
    if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) {
      // The central directory at the end lists every entry name.
      const tail = readAt(fd, Math.max(0, size - 256 * 1024), Math.min(size, 256 * 1024));
      return tail.includes('xl/workbook.xml') || head.includes('xl/workbook.xml') ? 'xlsx' : 'zip';
    }
    if (head.length >= 4 && head.toString('latin1', 0, 4) === 'PAR1') return 'parquet';
    if (head.length > 0 && !head.includes(0)) return 'csv';
    return 'unknown';
  } finally {
    closeSync(fd);
  }
}

export const ALLOWED_TYPES: Record<string, readonly SniffedType[]> = {
  positions: ['csv', 'xlsx', 'parquet', 'zip'],
  curves: ['csv', 'xlsx'],
  schedules: ['csv'],
};
