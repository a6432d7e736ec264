/**
 * ZIP archives for attack tests, written byte by byte (PKWARE APPNOTE: local headers, central
 * directory, end record) so a test can build what no honest zip tool would: a ZIP bomb in a few
 * megabytes, or an entry whose directory understates its size.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntryData {
  name: string;
  /** raw deflate data */
  deflated: Buffer;
  crc: number;
  size: number;
  /** what the directory claims (defaults to the true size) */
  declaredSize?: number;
  /** written as a local entry but left out of the central directory */
  hidden?: boolean;
}

export function deflatedEntry(name: string, content: Buffer | string): ZipEntryData {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'latin1');
  return { name, deflated: deflateRawSync(bytes), crc: crc32(bytes), size: bytes.length };
}

/**
 * `head` followed by `chunk` repeated `times` times, deflated in a few milliseconds: each chunk is
 * compressed once with a full flush (which resets the compressor), so every repeat is the same
 * bytes and the stream is their concatenation. 1 GiB of CSV rows becomes about 1 MB.
 */
export function repeatedEntry(name: string, head: string, chunk: Buffer, times: number): ZipEntryData {
  const first = deflateRawSync(Buffer.from(head, 'latin1'), { finishFlush: constants.Z_FULL_FLUSH });
  const block = deflateRawSync(chunk, { finishFlush: constants.Z_FULL_FLUSH });
  const end = deflateRawSync(Buffer.alloc(0));
  let crc = crc32(Buffer.from(head, 'latin1'));
  for (let i = 0; i < times; i += 1) crc = crc32(chunk, crc);
  return {
    name,
    deflated: Buffer.concat([first, ...Array.from({ length: times }, () => block), end]),
    crc,
    size: Buffer.byteLength(head, 'latin1') + chunk.length * times,
  };
}

export function zipArchive(entries: readonly ZipEntryData[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const size = e.declaredSize ?? e.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.deflated.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, e.deflated);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.deflated.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    if (!e.hidden) centrals.push(central, name);
    offset += local.length + name.length + e.deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const listed = entries.filter((e) => !e.hidden).length;
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The bank export's header lines (formats.md) and one fixed-bullet contract row, ;-separated. */
export const BANK_HEAD = [
  'File type;Contracts', 'Reference day;30/11/2024',
  'Identifier;Start date;Maturity date;Outstanding principal;Position;Day count convention;Indexed rate;Payment period', '',
].join('\r\n');

export function bankRow(i: number): string {
  return `FB${i};01/01/2024;01/01/2029;${1000 + (i % 977)},00;${i % 3 ? 'LONG' : 'SHORT'};30E/360;3,25;12M\r\n`;
}

/** A chunk of bank rows exactly `bytes` long (the last row padded with a trailing attribute-free space). */
export function bankRowsChunk(bytes: number): Buffer {
  const row = bankRow(1);
  const rows = row.repeat(Math.floor(bytes / row.length));
  return Buffer.from(rows + ' '.repeat(bytes - rows.length), 'latin1');
}
