/**
 * Reading and writing notebooks. Over HTTP a notebook is the JSON document of `schema.ts`; on disk
 * it is the Markdown file of `text-file.ts`. Either way a document of an older format version (v1
 * was JSON) is upgraded by the ordered steps of `migrations.ts` before it is validated, so a file
 * written by any past release still opens, and one from a newer release is refused in words.
 */
import { migrateToCurrent } from './migrations.ts';
import { describeIssue, NOTEBOOK_FORMAT, NOTEBOOK_VERSION, notebookDocumentSchema, type NotebookDocument } from './schema.ts';
import { parseNotebookMarkdown, serializeNotebookText } from './text-file.ts';

export type ParseResult = { ok: true; document: NotebookDocument } | { ok: false; reason: string };

/** Validates a decoded document of any published version, upgrading it first. */
export function parseNotebook(value: unknown): ParseResult {
  const migrated = migrateToCurrent(value);
  if (!migrated.ok) return migrated;
  const parsed = notebookDocumentSchema.safeParse(migrated.value);
  if (parsed.success) return { ok: true, document: parsed.data };
  return { ok: false, reason: describeIssue('Invalid notebook', parsed.error.issues) };
}

/** Reads a notebook file: the Markdown of format v2 and later, or the JSON of format v1. */
export function parseNotebookText(text: string): ParseResult {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, reason: `Notebook file is not valid JSON: ${(error as Error).message}` };
    }
    return parseNotebook(value);
  }
  if (!start.startsWith('---')) return { ok: false, reason: 'Not an ALMReady notebook: the file starts neither with a "---" header (Markdown notebook) nor with "{" (format v1 JSON).' };
  const raw = parseNotebookMarkdown(text);
  if (!raw.ok) return { ok: false, reason: `Notebook file is not readable: ${raw.reason}` };
  return parseNotebook(raw.value);
}

/** The file form (format v2 Markdown); `parseNotebookText(serializeNotebook(d))` gives `d` back. */
export function serializeNotebook(document: NotebookDocument): string {
  return serializeNotebookText(document);
}

export function emptyNotebook(title: string): NotebookDocument {
  return { format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, title, cells: [] };
}
