/**
 * Streams a multipart upload to files inside the workspace (`datasets/.upload-<uuid>/`), named
 * by form field only: the client's file name is kept as a label and never becomes a path. A file
 * over the size limit aborts the request with 413, a body that sends nothing for `idleMs` with
 * 408, a client that goes away ends it; in every case the whole temp folder is removed.
 */
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Context } from 'koa';
import { apiError } from './api-error.ts';
import { newId } from './ids.ts';
import { ALLOWED_TYPES, sniffFile, type SniffedType } from './sniff.ts';

export interface UploadedFile {
  field: string;
  /** The client's file name, reduced to a harmless label (no folders, no control characters). */
  name: string;
  path: string;
  bytes: number;
  type: SniffedType;
}

export interface Upload {
  dir: string;
  files: UploadedFile[];
  fields: Record<string, string>;
}

export const TEXT_FIELDS = ['name', 'as_of', 'mapping', 'mapping_name', 'skip_invalid'] as const;

export function safeLabel(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^\.+/, '').trim().slice(0, 200);
  return clean === '' ? 'upload' : clean;
}

export interface UploadLimits {
  maxBytes: number;
  /** the body may send nothing for this long */
  idleMs: number;
}

export async function receiveUpload(ctx: Context, datasetsDir: string, limits: UploadLimits): Promise<Upload> {
  if (!ctx.is('multipart/form-data')) throw apiError(415, 'unsupported_media_type', 'Upload the dataset as multipart/form-data with file fields positions, curves and schedules.');
  const dir = join(datasetsDir, `.upload-${newId()}`);
  mkdirSync(dir, { recursive: true });
  try {
    return await parse(ctx, dir, limits);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function parse(ctx: Context, dir: string, { maxBytes, idleMs }: UploadLimits): Promise<Upload> {
  const open: Readable[] = [];
  const writes: Promise<void>[] = [];
  try {
    return await parseBody(ctx, dir, maxBytes, idleMs, open, writes);
  } finally {
    // A stalled or aborted body leaves busboy's file streams waiting; end them and let their
    // files close before the caller removes the folder.
    for (const stream of open) stream.destroy();
    await Promise.allSettled(writes);
  }
}

async function parseBody(ctx: Context, dir: string, maxBytes: number, idleMs: number, open: Readable[], writes: Promise<void>[]): Promise<Upload> {
  const files: UploadedFile[] = [];
  const fields: Record<string, string> = {};
  let failure: Error | undefined;
  let stopEarly = () => {};
  let total = 0;
  const limitMb = Math.round((maxBytes / 1024 / 1024) * 100) / 100;
  const parser = busboy({ headers: ctx.req.headers, limits: { fileSize: maxBytes, files: 3, fields: 10, fieldSize: 1024 * 1024, parts: 13 } });

  parser.on('file', (field, stream, info) => {
    if (!(field in ALLOWED_TYPES)) {
      failure ??= apiError(422, 'validation_failed', `Unknown file field "${field}"; use positions, curves or schedules.`);
      stream.resume();
      return;
    }
    if (files.some((f) => f.field === field)) {
      failure ??= apiError(422, 'validation_failed', `The file field "${field}" was sent twice; send one file per field.`);
      stream.resume();
      return;
    }
    const file: UploadedFile = { field, name: safeLabel(info.filename ?? ''), path: join(dir, field), bytes: 0, type: 'unknown' };
    files.push(file);
    open.push(stream);
    const tooLarge = () => {
      failure ??= apiError(413, 'payload_too_large', `The upload ("${file.name}") is larger than the limit of ${limitMb} MB (ALMREADY_MAX_UPLOAD_MB).`);
      // Stop parsing, discard the rest of the body (so the client still reads the 413) and answer
      // now; the connection closes after the answer rather than draining the rest for ever.
      ctx.set('Connection', 'close');
      ctx.req.unpipe(parser);
      ctx.req.resume();
      stream.destroy();
      stopEarly();
    };
    stream.on('data', (chunk: Buffer) => {
      file.bytes += chunk.length;
      total += chunk.length;
      // The limit is for the whole upload, not per file.
      if (total > maxBytes) tooLarge();
    });
    stream.on('limit', tooLarge);
    writes.push(pipeline(stream, createWriteStream(file.path)).catch((error: Error) => {
      failure ??= error;
    }));
  });
  parser.on('field', (name, value) => {
    if (!(TEXT_FIELDS as readonly string[]).includes(name)) {
      failure ??= apiError(422, 'validation_failed', `Unknown form field "${name}"; allowed: ${TEXT_FIELDS.join(', ')}.`);
      return;
    }
    fields[name] = value;
  });
  parser.on('partsLimit', () => (failure ??= apiError(413, 'payload_too_large', 'Too many form parts.')));
  parser.on('filesLimit', () => (failure ??= apiError(422, 'validation_failed', 'At most three files (positions, curves, schedules).')));

  let idle: NodeJS.Timeout | undefined;
  const onData = () => idle?.refresh();
  try {
    await new Promise<void>((resolve, reject) => {
      stopEarly = resolve;
      const stop = (error: Error) => {
        ctx.req.unpipe(parser);
        reject(error);
      };
      idle = setTimeout(() => {
        // Answer the client if it still listens, then drop the connection with the rest of the body.
        ctx.set('Connection', 'close');
        stop(apiError(408, 'upload_timeout', `The upload sent nothing for ${Math.round(idleMs / 1000)} s and was dropped; send it again.`));
      }, idleMs);
      ctx.req.on('data', onData);
      parser.on('close', resolve);
      parser.on('error', (error: Error) => reject(apiError(400, 'bad_multipart', `The upload could not be read: ${error.message}`)));
      ctx.req.on('aborted', () => stop(apiError(400, 'upload_aborted', 'The upload was interrupted.')));
      ctx.req.on('close', () => {
        if (!ctx.req.complete) stop(apiError(400, 'upload_aborted', 'The upload was interrupted.'));
      });
      ctx.req.pipe(parser);
    });
  } finally {
    clearTimeout(idle);
    ctx.req.off('data', onData);
  }
  await Promise.all(writes);
  if (failure) throw failure;
  for (const file of files) {
    if (file.bytes === 0) throw apiError(422, 'validation_failed', `"${file.name}" (${file.field}) is empty.`);
    file.type = sniffFile(file.path);
    const allowed = ALLOWED_TYPES[file.field] ?? [];
    if (!allowed.includes(file.type)) {
      const what = file.type === 'unknown' ? 'a file type ALMReady cannot read' : `a ${file.type.toUpperCase()} file`;
      throw apiError(415, 'unsupported_media_type', `"${file.name}" (${file.field}) is ${what}; ${file.field} accepts ${allowed.map((t) => t.toUpperCase()).join(', ')}.`);
    }
  }
  return { dir, files, fields };
}
