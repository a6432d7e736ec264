/**
 * The report of a notebook: what a reader sees of one execution of one version — rendered prose,
 * tables (their first rows, row count and columns), charts with their data, metrics, input values
 * — and never a line of SQL or TypeScript. One schema for the API's report answer (report mode in
 * the browser), the self-contained HTML export (`html.ts`) and headless runs.
 */
import { z } from 'zod';
import { consoleLineSchema, cellValueSchema, tableColumnSchema } from '../runtime/outputs.ts';
import { inputSpecSchema } from '../specs/input-spec.ts';
import { chartSpecSchema, gridSpecSchema, valueFormatSchema } from '../specs/view-spec.ts';

export const REPORT_FORMAT = 'almready-report';
export const REPORT_VERSION = 1;

const row = z.record(z.string(), cellValueSchema);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const inputValue = z.union([z.string(), z.number(), z.array(z.string()), z.null()]);

/** A table as a report shows it: the first `rows` of `rowCount` (the rest stays on the server). */
export const reportTableSchema = z.strictObject({
  name: z.string(),
  rowCount: z.number().int().min(0),
  columns: z.array(tableColumnSchema),
  rows: z.array(row),
  /** column → format, from a grid spec */
  formats: z.record(z.string(), valueFormatSchema).optional(),
});
export type ReportTable = z.infer<typeof reportTableSchema>;

/** A chart with the rows it draws (the first ones when its table is longer: `rowCount` says so). */
export const reportChartSchema = z.strictObject({ spec: chartSpecSchema, rows: z.array(row), rowCount: z.number().int().min(0) });
export type ReportChart = z.infer<typeof reportChartSchema>;

/** `alm.metric(label, value, format)`; `format` as written by the cell ("money", "pct", "bp", "int", …). */
export const reportMetricSchema = z.strictObject({ label: z.string(), value: cellValueSchema, format: z.string().nullable() });
export type ReportMetric = z.infer<typeof reportMetricSchema>;

const cell = { cellId: z.string(), name: z.string().nullable() };

export const reportCellSchema = z.discriminatedUnion('kind', [
  /** sanitised HTML with the interpolated figures (`renderMarkdown`) */
  z.strictObject({ ...cell, kind: z.literal('markdown'), html: z.string() }),
  /** an SQL cell's result; its SQL is not part of a report */
  z.strictObject({ ...cell, kind: z.literal('sql'), table: reportTableSchema }),
  /** a ts cell's outputs; its code is not part of a report */
  z.strictObject({
    ...cell,
    kind: z.literal('ts'),
    /** exported single values (numbers, text, dates as text), in export order */
    values: z.array(z.strictObject({ name: z.string(), value: scalar })),
    /** exported tables, run tables and exported lists of rows */
    tables: z.array(reportTableSchema),
    metrics: z.array(reportMetricSchema),
    charts: z.array(reportChartSchema),
    grids: z.array(reportTableSchema),
    console: z.array(consoleLineSchema),
    /** views the report could not draw, in words (a chart without data, a bad spec) */
    problems: z.array(z.string()),
  }),
  z.strictObject({ ...cell, kind: z.literal('chart'), chart: reportChartSchema }),
  z.strictObject({ ...cell, kind: z.literal('grid'), spec: gridSpecSchema, table: reportTableSchema }),
  /** the spec lets report mode offer the control to roles that may re-run */
  z.strictObject({ ...cell, kind: z.literal('input'), spec: inputSpecSchema.nullable(), value: inputValue }),
]);
export type ReportCell = z.infer<typeof reportCellSchema>;

/** Where the figures come from: the footer of every report. */
export const reportMetaSchema = z.strictObject({
  notebookId: z.string(),
  notebookName: z.string(),
  version: z.number().int().positive(),
  /** null for a headless run that was not published */
  publicationId: z.string().nullable(),
  datasetId: z.string().nullable(),
  datasetName: z.string().nullable(),
  datasetAsOf: z.string().nullable(),
  /** SHA-256 of the dataset's files */
  datasetHash: z.string().nullable(),
  engineVersion: z.string(),
  /** every input's value by input name */
  parameters: z.record(z.string(), inputValue),
  /** when the execution ran (ISO) and how long it took */
  ranAt: z.string(),
  runMs: z.number().min(0),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
});
export type ReportMeta = z.infer<typeof reportMetaSchema>;

export const reportSchema = z.strictObject({
  format: z.literal(REPORT_FORMAT),
  version: z.literal(REPORT_VERSION),
  title: z.string(),
  description: z.string().nullable(),
  meta: reportMetaSchema,
  cells: z.array(reportCellSchema),
});
export type Report = z.infer<typeof reportSchema>;
