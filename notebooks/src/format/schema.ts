/**
 * The notebook document (format version 2) as zod schemas: one schema per cell kind, joined on
 * `kind`. A cell's `source` is always the text the author typed — for `chart`, `grid` and `input`
 * cells a JSON spec checked by `specs/` — so a half-written spec can still be saved; it is an error
 * on that cell, not a refused save.
 */
import { z } from 'zod';

export const NOTEBOOK_FORMAT = 'almready-notebook';
export const NOTEBOOK_VERSION = 2;
export const CELL_KINDS = ['markdown', 'sql', 'ts', 'chart', 'grid', 'input'] as const;
export type CellKind = (typeof CELL_KINDS)[number];
/** Kinds that compute something, and so can be set lazy (marked stale instead of re-run). */
export const COMPUTING_KINDS = ['sql', 'ts'] as const satisfies readonly CellKind[];

// A lone surrogate cannot be written as UTF-8: the file would silently hold U+FFFD instead.
const text = (what: string, max: number) =>
  z.string().max(max).refine((s) => !/[\uD800-\uDFFF]/u.test(s), { message: `${what} holds a lone surrogate (not valid Unicode text)` });

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const cellIdSchema = text('a cell id', 100).min(1, 'a cell id is not empty');
export const cellNameSchema = z.string().regex(IDENTIFIER, 'a cell name is an identifier (letters, digits, _)').max(100);
const source = text('a cell source', 1_000_000);

const common = { id: cellIdSchema, source, name: cellNameSchema.optional() };
const lazy = { lazy: z.boolean().optional() };

export const markdownCellSchema = z.strictObject({ ...common, kind: z.literal('markdown') });
export const sqlCellSchema = z.strictObject({ ...common, kind: z.literal('sql'), ...lazy });
export const tsCellSchema = z.strictObject({ ...common, kind: z.literal('ts'), ...lazy });
export const chartCellSchema = z.strictObject({ ...common, kind: z.literal('chart') });
export const gridCellSchema = z.strictObject({ ...common, kind: z.literal('grid') });
export const inputCellSchema = z.strictObject({ ...common, kind: z.literal('input') });

export const notebookCellSchema = z.discriminatedUnion('kind', [markdownCellSchema, sqlCellSchema, tsCellSchema, chartCellSchema, gridCellSchema, inputCellSchema]);
export type NotebookCell = z.infer<typeof notebookCellSchema>;
export type MarkdownCell = z.infer<typeof markdownCellSchema>;
export type SqlCell = z.infer<typeof sqlCellSchema>;
export type TsCell = z.infer<typeof tsCellSchema>;
export type ChartCell = z.infer<typeof chartCellSchema>;
export type GridCell = z.infer<typeof gridCellSchema>;
export type InputCell = z.infer<typeof inputCellSchema>;

export const notebookDocumentSchema = z
  .strictObject({
    format: z.literal(NOTEBOOK_FORMAT),
    version: z.literal(NOTEBOOK_VERSION),
    title: text('the title', 500),
    description: text('the description', 10_000).optional(),
    /** Lazy notebook: an edit marks dependents stale instead of re-running them. */
    lazy: z.boolean().optional(),
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

export function isComputingKind(kind: CellKind): kind is (typeof COMPUTING_KINDS)[number] {
  return kind === 'sql' || kind === 'ts';
}

/** One zod issue as the sentence a user reads: where, then what. */
export function describeIssue(prefix: string, issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return `${prefix}${where}: ${issue?.message ?? 'unknown problem'}`;
}
