/**
 * The notebook document as stored on disk and sent over HTTP. Persisted documents carry a format
 * version; older versions are upgraded by the ordered steps in `migrations.ts` before validation,
 * so a file written by any past release still opens.
 */
import { z } from 'zod';
import { migrateToCurrent } from './migrations.ts';

export const NOTEBOOK_FORMAT = 'almready-notebook';
export const NOTEBOOK_VERSION = 1;
export const CELL_KINDS = ['markdown', 'sql', 'ts', 'chart', 'grid'] as const;
export type CellKind = (typeof CELL_KINDS)[number];

export const notebookCellSchema = z.strictObject({
  id: z.string().min(1).max(100),
  kind: z.enum(CELL_KINDS),
  source: z.string().max(1_000_000),
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a cell name is an identifier (letters, digits, _)').optional(),
});
export type NotebookCell = z.infer<typeof notebookCellSchema>;

export const notebookDocumentSchema = z
  .strictObject({
    format: z.literal(NOTEBOOK_FORMAT),
    version: z.literal(NOTEBOOK_VERSION),
    title: z.string().max(500),
    cells: z.array(notebookCellSchema).max(2000),
  })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.cells.forEach((cell, index) => {
      if (seen.has(cell.id)) ctx.addIssue({ code: 'custom', path: ['cells', index, 'id'], message: `duplicate cell id "${cell.id}"` });
      seen.add(cell.id);
    });
  });
export type NotebookDocument = z.infer<typeof notebookDocumentSchema>;

export type ParseResult = { ok: true; document: NotebookDocument } | { ok: false; reason: string };

/** Validates a value (already JSON-decoded), upgrading older format versions first. */
export function parseNotebook(value: unknown): ParseResult {
  const migrated = migrateToCurrent(value);
  if (!migrated.ok) return migrated;
  const parsed = notebookDocumentSchema.safeParse(migrated.value);
  if (parsed.success) return { ok: true, document: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, reason: `Invalid notebook${where}: ${issue?.message ?? 'unknown problem'}` };
}

export function parseNotebookText(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `Notebook file is not valid JSON: ${(error as Error).message}` };
  }
  return parseNotebook(value);
}

/** Stable text form: two-space JSON, fields in schema order, trailing newline. */
export function serializeNotebook(document: NotebookDocument): string {
  const ordered = {
    format: document.format,
    version: document.version,
    title: document.title,
    cells: document.cells.map((c) => (c.name === undefined ? { id: c.id, kind: c.kind, source: c.source } : { id: c.id, kind: c.kind, source: c.source, name: c.name })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export function emptyNotebook(title: string): NotebookDocument {
  return { format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, title, cells: [] };
}
