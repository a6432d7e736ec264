/**
 * Looks at an uploaded text file before DuckDB reads it: refuses empty and binary files, finds the
 * encoding (UTF-8, else Windows-1252 transcoded to a UTF-8 copy), the separator and the header.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';

export interface TextSource {
  /** UTF-8 file DuckDB can read (the original or a transcoded copy) */
  path: string;
  encoding: 'utf-8' | 'windows-1252';
  delimiter: ',' | ';' | '\t';
  headers: string[];
  /** 1-based line of the header (blank lines may come first) */
  headerLine: number;
}

export type TextSourceResult = { ok: true; source: TextSource } | { ok: false; reason: string };

const SNIFF_BYTES = 64 * 1024;

export async function sniffTextFile(path: string, utf8CopyPath: string): Promise<TextSourceResult> {
  const size = (await stat(path)).size;
  if (size === 0) return { ok: false, reason: 'the file is empty' };
  const head = await readHead(path, SNIFF_BYTES);
  const binary = binaryKind(head);
  if (binary) return { ok: false, reason: binary };

  const utf8 = await isUtf8File(path);
  let readable = path;
  if (!utf8) {
    await pipeline(createReadStream(path), iconv.decodeStream('win1252'), iconv.encodeStream('utf8'), createWriteStream(utf8CopyPath));
    readable = utf8CopyPath;
  }
  const text = utf8 ? head.toString('utf8') : iconv.decode(head, 'win1252');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  const headerLine = lines[headerIndex];
  if (headerLine === undefined) return { ok: false, reason: 'the file has no header line' };
  const delimiter = detectDelimiter(headerLine);
  const headers = (parse(headerLine, { delimiter, relax_quotes: true }) as string[][])[0] ?? [];
  if (headers.length < 2) {
    return { ok: false, reason: `the header line "${headerLine.slice(0, 80)}" has fewer than two columns; expected a CSV with a header row separated by , or ;` };
  }
  return { ok: true, source: { path: readable, encoding: utf8 ? 'utf-8' : 'windows-1252', delimiter, headers: headers.map((h) => h.trim()), headerLine: headerIndex + 1 } };
}

/** A reason when the bytes are clearly not CSV text, else undefined. */
export function binaryKind(head: Buffer): string | undefined {
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    return 'the file is a ZIP archive (or XLSX workbook), not CSV text; upload it with a .zip or .xlsx name';
  }
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'the file is Parquet, not CSV text; upload it with a .parquet name';
  if (head.includes(0)) return 'the file contains binary data, not CSV text';
  return undefined;
}

/** Tabs, semicolons or commas, whichever the header uses most outside quotes. */
export function detectDelimiter(line: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Streams the whole file through Node's native UTF-8 check (`buffer.isUtf8`, many times faster than
 * a decoder in a 1 GB file): one stray Windows-1252 byte makes it not UTF-8. A character cut by a
 * chunk boundary is carried over to the next chunk; one cut by the end of the file is invalid.
 */
export async function isUtf8File(path: string): Promise<boolean> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const end = completeEnd(bytes);
    if (!isUtf8(bytes.subarray(0, end))) return false;
    carry = Buffer.from(bytes.subarray(end));
  }
  return carry.length === 0;
}

/** Where the last complete UTF-8 sequence ends: before a lead byte whose continuation bytes are still to come. */
function completeEnd(bytes: Buffer): number {
  let i = bytes.length - 1;
  let continuations = 0;
  while (i >= 0 && continuations < 3 && ((bytes[i] as number) & 0xc0) === 0x80) {
    i -= 1;
    continuations += 1;
  }
  if (i < 0) return bytes.length;
  const lead = bytes[i] as number;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - i < length ? i : bytes.length;
}
