/**
 * Publications of a notebook (`POST …/notebooks/:nid/publish`, `GET …/publications`,
 * `GET …/report`, `GET …/report.html`). Publishing runs one saved version on one dataset and, when
 * every cell is done, freezes it with its outputs: the dataset's id and content hash, the engine
 * version and the input values are recorded beside each cell's output key. The report document
 * itself is `reportSchema` of `@almready/notebooks/report` (built from those outputs, no source
 * code); here it passes as an opaque value, as cell outputs do in notebook-exec.ts.
 */
import { z } from 'zod';
import { executionParametersSchema } from './notebook-exec.ts';
import { notebookSchema } from './notebooks.ts';

/** `POST …/notebooks/:nid/publish` (every field optional: the current version, the newest dataset, the inputs' defaults). */
export const publishNotebookBodySchema = z.strictObject({
  /** the saved version to publish (default: the current one) */
  version: z.number({ message: 'version must be a saved version number' }).int('version must be a whole number').positive('version must be 1 or more').optional(),
  /** the workspace's dataset the cells read (default: the newest one) */
  datasetId: z.uuid({ message: 'datasetId must be the id of a dataset of this workspace' }).optional(),
  /** input cells' values by input name (the rest keep their defaults) */
  parameters: executionParametersSchema.optional(),
});
export type PublishNotebookBody = z.infer<typeof publishNotebookBodySchema>;

/** An input's value as the publication recorded it (after reading it against the input's spec). */
export const publishedParameterSchema = z.union([z.string(), z.number(), z.array(z.string()), z.null()]);

/** What a publication says about itself: which version, on which data, by which engine, by whom and when. */
export const publicationSummarySchema = z.object({
  id: z.string(),
  notebookId: z.string(),
  version: z.number().int().positive(),
  /** the notebook's name at that version */
  name: z.string(),
  datasetId: z.string().nullable(),
  datasetName: z.string().nullable(),
  datasetAsOf: z.string().nullable(),
  /** SHA-256 of the dataset's files (its manifest's `contentHash`) */
  datasetHash: z.string().nullable(),
  engineVersion: z.string(),
  /** every input cell's value by input name (defaults included) */
  parameters: z.record(z.string(), publishedParameterSchema),
  /** the execution that produced the outputs */
  executionId: z.string(),
  /** when the execution ran (ISO) and how long it took, cells from storage included */
  ranAt: z.string(),
  runMs: z.number().min(0),
  publishedAt: z.string(),
  /** username */
  publishedBy: z.string(),
  /** the notebook's newest publication: the one `view` members read */
  latest: z.boolean(),
});
export type PublicationSummary = z.infer<typeof publicationSummarySchema>;

/** One cell of a publication: its output key and the stored tables the output names (ids of `TableHandle`s). */
export const publishedCellSchema = z.object({
  cellId: z.string(),
  kind: z.string(),
  cacheKey: z.string(),
  tables: z.array(z.string()),
});
export type PublishedCell = z.infer<typeof publishedCellSchema>;

export const publicationSchema = publicationSummarySchema.extend({ cells: z.array(publishedCellSchema) });
export type Publication = z.infer<typeof publicationSchema>;

/** `POST …/publish` → 201 */
export const publishAnswerSchema = z.object({ notebook: notebookSchema, publication: publicationSchema });
export type PublishAnswer = z.infer<typeof publishAnswerSchema>;

/** `GET …/publications`: newest first (a `view` member gets the latest one only). */
export const publicationsAnswerSchema = z.object({ publications: z.array(publicationSummarySchema) });
export type PublicationsAnswer = z.infer<typeof publicationsAnswerSchema>;

/** `GET …/report?publication=`: `report` fits `reportSchema` of @almready/notebooks/report. */
export const reportAnswerSchema = z.object({ publication: publicationSummarySchema, report: z.unknown() });
export type ReportAnswer = z.infer<typeof reportAnswerSchema>;

/** `details` of the 422 `publish_failed`: every cell that did not finish, in notebook order. */
export const publishFailureSchema = z.object({
  executionId: z.string(),
  cells: z.array(z.object({
    cellId: z.string(),
    name: z.string().nullable(),
    status: z.enum(['failed', 'blocked', 'stale', 'cancelled', 'not run']),
    message: z.string(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
  })),
});
export type PublishFailure = z.infer<typeof publishFailureSchema>;
