/**
 * DuckDB reads staged files lazily, so a malformed line surfaces while rows are parsed. This
 * turns such a failure into the user's terms (line, field counts); paths and settings stay out.
 */
import { fileError, type ImportError } from '../schema/index.ts';

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
  const first = (message.split('\n')[0] ?? message).replace(/^[A-Za-z ]*Error: /, '').slice(0, 200);
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
