/**
 * The one file-type sniffer: by content, never by a client-declared type. `PK\x03\x04` is a ZIP
 * (an XLSX workbook when it holds `xl/workbook.xml`, else a bank export), `PAR1` is Parquet,
 * text without NUL bytes is CSV; anything else is unknown. The upload sniffs each file once and
 * passes the verdict along (`SourceFile.format`); readers do not guess again.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';

export type SniffedType = 'csv' | 'xlsx' | 'zip' | 'parquet' | 'unknown';
export type SourceFormat = Exclude<SniffedType, 'unknown'>;

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

export function sniffFile(file: string): SniffedType {
  const fd = openSync(file, 'r');
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

const BY_EXTENSION: Record<string, SourceFormat> = { '.parquet': 'parquet', '.xlsx': 'xlsx', '.xlsm': 'xlsx', '.zip': 'zip', '.csv': 'csv' };

/**
 * How to read a source: the verdict passed along with it (an upload's sniff); for callers that
 * name their files themselves (CLI, tests), Parquet bytes, else the extension they chose, else the
 * sniffer; text is the fallback, whose reader explains what the bytes are not.
 */
export function sourceFormat(file: { path: string; originalName: string; format?: SourceFormat | undefined }): SourceFormat {
  if (file.format) return file.format;
  const sniffed = sniffFile(file.path);
  if (sniffed === 'parquet') return 'parquet';
  const declared = BY_EXTENSION[path.extname(file.originalName).toLowerCase()];
  if (declared && declared !== 'csv') return declared;
  return sniffed === 'unknown' ? 'csv' : sniffed;
}
