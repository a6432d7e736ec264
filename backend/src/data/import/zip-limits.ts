/**
 * ZIP bomb guard for every ZIP the importer opens (bank exports, XLSX workbooks). The central
 * directory is checked before anything is decompressed: each entry's size, its compression
 * ratio, the total and the number of entries against `ZipLimits` (config.ts). Reading then goes
 * through yauzl with `validateEntrySizes`, which stops an entry whose data expands past what the
 * directory declared, so an archive cannot lie its way past the check.
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../../config.ts';
import { errorLine } from './read-error.ts';

export { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../../config.ts';

const MB = 1024 * 1024;
/** Small entries may compress very well (a header, a blank sheet); the ratio counts from here. */
const RATIO_FLOOR_BYTES = MB;

const mb = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

export function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, z) => (err || !z ? reject(err ?? new Error('no archive')) : resolve(z))),
  );
}

export async function* zipEntries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  while (true) {
    const next = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      const onEntry = (e: yauzl.Entry) => { cleanup(); resolve(e); };
      const onEnd = () => { cleanup(); resolve(null); };
      const onError = (err: Error) => { cleanup(); reject(err); };
      const cleanup = () => { zip.off('entry', onEntry); zip.off('end', onEnd); zip.off('error', onError); };
      zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zip.readEntry();
    });
    if (!next) return;
    yield next;
  }
}

export function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))));
}

/** The reason an entry breaks a limit (naming the entry and the limit), or undefined. */
export function entryOverLimit(label: string, entry: { fileName: string; uncompressedSize: number; compressedSize: number }, limits: ZipLimits): string | undefined {
  const where = `${label}/${entry.fileName}`;
  if (entry.uncompressedSize > limits.entryBytes) {
    return `${where} expands to ${mb(entry.uncompressedSize)}, over the limit of ${mb(limits.entryBytes)} per file in a ZIP (ALMREADY_MAX_ZIP_ENTRY_MB); split the export or raise the limit`;
  }
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.ratio) {
    return `${where} expands ${Math.round(ratio)} times its compressed size, over the limit of ${limits.ratio} (ALMREADY_MAX_ZIP_RATIO); such archives are refused as ZIP bombs`;
  }
  return undefined;
}

/** `damaged` carries yauzl's reason when the archive itself cannot be read (callers word it for their format). */
export type ZipCheck = { ok: true; entries: number; bytes: number } | { ok: false; reason: string; damaged?: string };

/**
 * Walks the central directory (no decompression): entry size, entry ratio, total size, total
 * ratio, entry count. With `verify`, then inflates every entry once and throws the bytes away and
 * checks the entries cover the file: for readers that do not go through yauzl (exceljs), this
 * proves the data matches the directory before they see it.
 */
export async function checkZipArchive(path: string, label: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS, verify = false): Promise<ZipCheck> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    return { ok: false, reason: `the file is not a readable ZIP archive (${zipReason(error)})`, damaged: zipReason(error) };
  }
  let total = 0;
  let packed = 0;
  let current = '';
  const listed: yauzl.Entry[] = [];
  try {
    if (zip.entryCount > limits.entries) return { ok: false, reason: `${label} holds ${zip.entryCount} files, over the limit of ${limits.entries} files in a ZIP` };
    // The whole directory first, nothing inflated yet.
    for await (const entry of zipEntries(zip)) {
      listed.push(entry);
      const over = entryOverLimit(label, entry, limits);
      if (over) return { ok: false, reason: over };
      total += entry.uncompressedSize;
      packed += entry.compressedSize;
      if (total > limits.totalBytes) {
        return { ok: false, reason: `${label} expands to more than ${mb(limits.totalBytes)} in total (at ${entry.fileName}), over the limit of ALMREADY_MAX_ZIP_TOTAL_MB` };
      }
      // Many small entries (each under the ratio floor) must not add up to a bomb either.
      if (total > RATIO_FLOOR_BYTES && total / Math.max(1, packed) > limits.ratio) {
        return { ok: false, reason: `${label} expands ${Math.round(total / Math.max(1, packed))} times its compressed size (at ${entry.fileName}), over the limit of ${limits.ratio} (ALMREADY_MAX_ZIP_RATIO); such archives are refused as ZIP bombs` };
      }
    }
    if (verify) {
      for (const entry of listed) {
        current = entry.fileName;
        if (entry.fileName.endsWith('/')) continue;
        const stream = await openEntry(zip, entry);
        for await (const chunk of stream) void chunk;
      }
      const spans = listed.map((e) => ({ name: e.fileName, offset: e.relativeOffsetOfLocalHeader, compressedSize: e.compressedSize, descriptor: (e.generalPurposeBitFlag & 8) !== 0 }));
      const gap = await untiledBytes(path, spans);
      if (gap) return { ok: false, reason: `${label} holds data its ZIP directory does not list (${gap}); such archives are refused` };
    }
    return { ok: true, entries: listed.length, bytes: total };
  } catch (error) {
    if (isOverDeclaredSize(error)) return { ok: false, reason: `${label}/${current} inflates past the size its ZIP directory declares; such archives are refused as ZIP bombs` };
    return { ok: false, reason: `the ZIP archive is damaged (${zipReason(error)})`, damaged: zipReason(error) };
  } finally {
    zip.close();
  }
}

interface Span {
  name: string;
  offset: number;
  compressedSize: number;
  descriptor: boolean;
}

/**
 * Streaming readers (exceljs) walk the local headers from the start of the file, not the central
 * directory yauzl checked; a file could hide entries between the listed ones. The listed entries
 * must therefore cover the file from byte 0 to the central directory with nothing in between.
 * Returns what does not fit, or undefined.
 */
async function untiledBytes(path: string, spans: Span[]): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const tail = Buffer.alloc(Math.min(size, 65_557));
    await handle.read(tail, 0, tail.length, size - tail.length);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) return 'no end record';
    const directoryStart = tail.readUInt32LE(eocd + 16);
    if (directoryStart === 0xffffffff) return 'ZIP64 workbooks are not accepted';
    let at = 0;
    const header = Buffer.alloc(30);
    for (const span of [...spans].sort((a, b) => a.offset - b.offset)) {
      if (span.offset !== at) return `bytes ${at}–${span.offset} before ${span.name}`;
      await handle.read(header, 0, 30, span.offset);
      if (header.readUInt32LE(0) !== 0x04034b50) return `no local header for ${span.name}`;
      at = span.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28) + span.compressedSize;
      if (span.descriptor) {
        const descriptor = Buffer.alloc(4);
        await handle.read(descriptor, 0, 4, at);
        at += descriptor.readUInt32LE(0) === 0x08074b50 ? 16 : 12;
      }
    }
    return at === directoryStart ? undefined : `bytes ${at}–${directoryStart} after the last entry`;
  } finally {
    await handle.close();
  }
}

/** yauzl's message, first line, with no file-system path. */
export const zipReason = errorLine;

/** yauzl's `validateEntrySizes` error: the data inflates past the directory's size. */
export function isOverDeclaredSize(error: unknown): boolean {
  return /too many bytes in the stream/.test(error instanceof Error ? error.message : String(error));
}
