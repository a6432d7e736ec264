/**
 * What a cell produces, as one zod schema per kind, shared by the runner, the output store, the
 * API and the editor. Outputs never live in the notebook file: they are stored apart under the
 * cell's cache key (`cache-key.ts`). A table result is never carried whole — only its handle: the
 * host's table id, its row count, columns and a first page; grids page through the rest on the server.
 */
import { z } from 'zod';
import { assertNever } from '../assert-never.ts';
import { chartSpecSchema, gridSpecSchema } from '../specs/view-spec.ts';

/** Plain JSON data; a table crosses as `{ "$almTable": id }` (the sandbox's table reference). */
export type CellValue = null | boolean | number | string | CellValue[] | { [key: string]: CellValue };
export const cellValueSchema: z.ZodType<CellValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(cellValueSchema), z.record(z.string(), cellValueSchema)]),
);

export const FIRST_PAGE_ROWS = 100;

export const tableColumnSchema = z.strictObject({ name: z.string().min(1).max(200), type: z.string().max(100) });
export const tableHandleSchema = z.strictObject({
  /** The host's id of the stored table (content-keyed, so two notebook versions never share one by accident). */
  id: z.string().min(1).max(256),
  /** The name cells read it by (`by_product`, `run1_eve`). */
  name: z.string().min(1).max(200),
  rowCount: z.number().int().min(0),
  columns: z.array(tableColumnSchema).max(2000),
  firstPage: z.array(z.record(z.string(), cellValueSchema)).max(FIRST_PAGE_ROWS),
});
export type TableHandle = z.infer<typeof tableHandleSchema>;

export const consoleLineSchema = z.strictObject({ level: z.enum(['log', 'warn', 'error']), text: z.string() });
export type ConsoleLine = z.infer<typeof consoleLineSchema>;

/** `alm.grid`, `alm.chart`, `alm.metric` in a ts cell, as the sandbox hands them back. */
export const tsViewSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('grid'), data: cellValueSchema }),
  z.strictObject({ type: z.literal('chart'), spec: cellValueSchema }),
  z.strictObject({ type: z.literal('metric'), label: z.string().max(200), value: cellValueSchema, format: z.string().max(20).nullable() }),
]);
export type TsView = z.infer<typeof tsViewSchema>;

/** A view cell's data: the named result's table, or rows a ts cell exported as a value. */
export const viewDataSchema = z.union([
  z.strictObject({ table: tableHandleSchema }),
  z.strictObject({ rows: z.array(z.record(z.string(), cellValueSchema)) }),
]);

export const sqlOutputSchema = z.strictObject({ kind: z.literal('sql'), table: tableHandleSchema });
export const tsOutputSchema = z.strictObject({
  kind: z.literal('ts'),
  /** Exported top-level names. */
  values: z.record(z.string(), cellValueSchema),
  /** Tables the cell defines by name: exported table handles and its run tables (`run1_eve`, …). */
  tables: z.record(z.string(), tableHandleSchema),
  console: z.array(consoleLineSchema),
  views: z.array(tsViewSchema),
});
export const markdownOutputSchema = z.strictObject({ kind: z.literal('markdown'), html: z.string(), references: z.array(z.string()), problems: z.array(z.string()) });
export const chartOutputSchema = z.strictObject({ kind: z.literal('chart'), spec: chartSpecSchema, data: viewDataSchema });
export const gridOutputSchema = z.strictObject({ kind: z.literal('grid'), spec: gridSpecSchema, data: viewDataSchema });
export const inputOutputSchema = z.strictObject({ kind: z.literal('input'), value: z.union([z.string(), z.number(), z.array(z.string()), z.null()]) });

export const cellOutputSchema = z.discriminatedUnion('kind', [sqlOutputSchema, tsOutputSchema, markdownOutputSchema, chartOutputSchema, gridOutputSchema, inputOutputSchema]);
export type CellOutput = z.infer<typeof cellOutputSchema>;
export type SqlOutput = z.infer<typeof sqlOutputSchema>;
export type TsOutput = z.infer<typeof tsOutputSchema>;

const tableSummary = z.strictObject({ name: z.string(), rowCount: z.number().int().min(0), columns: z.array(z.string()) });
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What a `done` event says about the output: enough to draw the cell's header, never a table's rows. */
export const outputSummarySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sql'), table: tableSummary }),
  z.strictObject({ kind: z.literal('ts'), values: z.array(z.string()), scalars: z.record(z.string(), scalar), tables: z.array(tableSummary), consoleLines: z.number().int().min(0), views: z.array(z.enum(['grid', 'chart', 'metric'])) }),
  z.strictObject({ kind: z.literal('markdown'), html: z.string(), problems: z.array(z.string()) }),
  z.strictObject({ kind: z.literal('chart'), data: z.string(), rowCount: z.number().int().min(0) }),
  z.strictObject({ kind: z.literal('grid'), data: z.string(), rowCount: z.number().int().min(0) }),
  z.strictObject({ kind: z.literal('input'), value: z.union([z.string(), z.number(), z.array(z.string()), z.null()]) }),
]);
export type OutputSummary = z.infer<typeof outputSummarySchema>;

const summariseTable = (t: TableHandle) => ({ name: t.name, rowCount: t.rowCount, columns: t.columns.map((c) => c.name) });
const dataRows = (d: z.infer<typeof viewDataSchema>) => ('table' in d ? d.table.rowCount : d.rows.length);

export function summariseOutput(output: CellOutput): OutputSummary {
  switch (output.kind) {
    case 'sql': return { kind: 'sql', table: summariseTable(output.table) };
    case 'ts': {
      const scalars: Record<string, string | number | boolean | null> = {};
      for (const [name, value] of Object.entries(output.values)) if (value === null || typeof value !== 'object') scalars[name] = value;
      return { kind: 'ts', values: Object.keys(output.values), scalars, tables: Object.values(output.tables).map(summariseTable), consoleLines: output.console.length, views: output.views.map((v) => v.type) };
    }
    case 'markdown': return { kind: 'markdown', html: output.html, problems: output.problems };
    case 'chart': case 'grid': return { kind: output.kind, data: output.spec.data, rowCount: dataRows(output.data) };
    case 'input': return { kind: 'input', value: output.value };
    default: return assertNever(output);
  }
}
