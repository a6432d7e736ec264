/**
 * DuckDB reads staged files lazily, so a malformed line surfaces while rows are parsed. This
 * turns such a failure into the user's terms (line, field counts); paths and settings stay out.
 */
import { fileError, type ImportError } from '../schema/index.ts';

/** An absolute file-system path (POSIX or Windows) after a start, space, quote or bracket. */
const ABSOLUTE_PATH = /(^|[\s'"(=`])(?:[A-Za-z]:)?[\\/](?:[^\s'"`()\\/]+[\\/])+[^\s'"`()]*/g;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with every file-system path taken out: a path under one of `known` becomes that entry's
 * label (the user's file name), any other absolute path "the file". Messages of DuckDB, yauzl,
 * exceljs and fs name the files they read, which here are server paths.
 */
export function withoutPaths(text: string, known: readonly { path: string; label: string }[] = []): string {
  let out = text;
  for (const k of [...known].filter((k) => k.path.length > 1).sort((a, b) => b.path.length - a.path.length)) {
    out = out.replace(new RegExp(`${escapeRegExp(k.path)}[^\\s'"\`()]*`, 'g'), k.label);
  }
  return out.replace(ABSOLUTE_PATH, '$1the file');
}

/** The first line of an error's message, without paths, at most 200 characters. */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return withoutPaths(text.split('\n')[0] ?? text).slice(0, 200);
}

/** An import error as the user may see it: no path in its reason or value. */
export function publicImportError(error: ImportError, known: readonly { path: string; label: string }[]): ImportError {
  return { ...error, reason: withoutPaths(error.reason, known), value: known.some((k) => error.value.includes(k.path)) ? withoutPaths(error.value, known) : error.value };
}

export function readFailure(file: string, error: unknown): ImportError {
  const message = error instanceof Error ? error.message : String(error);
  const line = /CSV Error on Line: (\d+)/.exec(message);
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  const original = /Original Line: (.*)/.exec(message)?.[1] ?? '';
  if (line && counts) {
    return {
      file,
      row: Number(line[1]),
      column: '',
      value: original.slice(0, 120),
      reason: `this line has ${counts[2]} fields where the header has ${counts[1]}; quote fields that contain the separator`,
    };
  }
  const first = errorLine((message.split('\n')[0] ?? message).replace(/^[A-Za-z ]*Error: /, ''));
  return { ...fileError(file, `the file cannot be read: ${first}`), ...(line ? { row: Number(line[1]) } : {}) };
}

/** Runs a step that reads a staged file; a read failure becomes a refusal, not a crash. */
export async function readingFile<T>(file: string, step: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: ImportError }> {
  try {
    return { ok: true, value: await step() };
  } catch (error) {
    if (error instanceof Error && /Error:|CSV|Parquet|Conversion/.test(error.message)) return { ok: false, error: readFailure(file, error) };
    throw error;
  }
}
