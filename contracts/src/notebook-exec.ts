/**
 * The notebook execution API (`/api/workspaces/:wid/notebooks/:nid/executions…`, `…/outputs`).
 * Cell outputs and SSE events are the runner's own schemas (`cellOutputSchema`,
 * `executionEventSchema` of @almready/notebooks); here they pass as opaque values.
 */
import { z } from 'zod';

const cellId = z.string().min(1, 'cellId must name a cell of the notebook').max(200, 'cellId is at most 200 characters');
/** a value as text (`"1.2e9"`) or typed (a number, a date string, a list of scenario ids) */
const parameterValue = z.union([z.string().max(10_000), z.number(), z.array(z.string().max(200)).max(1_000), z.null()], {
  message: 'a parameter is a string, a number, a list of strings or null',
});

/** input cells' values by input name (defaults for the rest); also `?parameters=` (JSON) of the outputs routes */
export const executionParametersSchema = z.record(z.string().max(200), parameterValue);

/** `POST …/notebooks/:nid/executions` */
export const startExecutionBodySchema = z
  .strictObject({
    target: z.enum(['notebook', 'cell', 'cell-and-dependents'], { message: 'target must be "notebook", "cell" or "cell-and-dependents"' }),
    cellId: cellId.optional(),
    parameters: executionParametersSchema.optional(),
    /** the saved version to run (default: the current one) */
    version: z.number({ message: 'version must be a saved version number' }).int('version must be a whole number').positive('version must be 1 or more').optional(),
    /** the workspace's dataset the cells read (default: the newest one) */
    datasetId: z.uuid({ message: 'datasetId must be the id of a dataset of this workspace' }).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.target !== 'notebook' && body.cellId === undefined) ctx.addIssue({ code: 'custom', path: ['cellId'], message: `target "${body.target}" needs the cellId of the cell to run` });
    if (body.target === 'notebook' && body.cellId !== undefined) ctx.addIssue({ code: 'custom', path: ['cellId'], message: 'target "notebook" runs every cell: leave cellId out, or use target "cell"' });
  });
export type StartExecutionBody = z.infer<typeof startExecutionBodySchema>;

export const startExecutionAnswerSchema = z.object({ executionId: z.string(), version: z.number().int().positive(), datasetId: z.string().nullable() });
export type StartExecutionAnswer = z.infer<typeof startExecutionAnswerSchema>;

export const executionSummarySchema = z.object({
  id: z.string(),
  notebookId: z.string(),
  version: z.number().int().positive(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
});
export const cancelExecutionAnswerSchema = z.object({ execution: executionSummarySchema });

/** `GET …/notebooks/:nid/outputs?version=N&parameters=`: every cell's stored output for that version at those inputs (default: the defaults) (null: not run yet, or cannot run). */
export const storedCellOutputSchema = z.object({
  cellId: z.string(),
  cacheKey: z.string().nullable(),
  output: z.unknown().nullable(),
  durationMs: z.number().nullable(),
  createdAt: z.number().nullable(),
});
export const notebookOutputsAnswerSchema = z.object({
  notebookId: z.string(),
  version: z.number().int().positive(),
  datasetId: z.string().nullable(),
  cells: z.array(storedCellOutputSchema),
  /** the version's latest executions, newest first */
  executions: z.array(executionSummarySchema),
});
export type NotebookOutputsAnswer = z.infer<typeof notebookOutputsAnswerSchema>;
