/**
 * The notebook store's API. `content` is a notebook document in the format of
 * `@almready/notebooks` (parseNotebook checks and upgrades it); the store refuses anything else.
 */
import { z } from 'zod';

const name = z.string().trim().min(1, 'name must not be empty').max(200, 'name is at most 200 characters');
/**
 * `POST /api/workspaces/:wid/notebooks`: an empty notebook, the given `content`, or a copy of the
 * shipped notebook `example` (an id of `GET /api/notebook-examples`; its title is the default name).
 */
export const createNotebookBodySchema = z
  .strictObject({ name: name.optional(), content: z.unknown().optional(), example: z.string().max(100, 'example is at most 100 characters').optional() })
  .superRefine((body, ctx) => {
    if (body.example !== undefined && body.content !== undefined) ctx.addIssue({ code: 'custom', path: ['example'], message: 'give either content or example, not both' });
    if (body.example === undefined && body.name === undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'name is required (it may be left out only with an example)' });
  });
/** `PUT /api/workspaces/:wid/notebooks/:nid`: `version` is the one the edit started from (409 if another save came first). */
export const saveNotebookBodySchema = z.strictObject({ version: z.number().int().positive(), content: z.unknown(), name: name.optional() });
export type CreateNotebookBody = z.infer<typeof createNotebookBodySchema>;
export type SaveNotebookBody = z.infer<typeof saveNotebookBodySchema>;

export const notebookSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int().positive(),
  published: z.boolean(),
  publishedVersion: z.number().int().positive().nullable(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type NotebookSummary = z.infer<typeof notebookSummarySchema>;
export const notebookSchema = notebookSummarySchema.extend({ content: z.unknown() });
export type Notebook = z.infer<typeof notebookSchema>;
export const notebookAnswerSchema = z.object({ notebook: notebookSchema });
export const notebooksAnswerSchema = z.object({ notebooks: z.array(notebookSummarySchema) });
/** `published`: a publication froze this version (`GET …/publications` lists them). */
export const notebookVersionSchema = z.object({ version: z.number().int().positive(), savedAt: z.string(), savedBy: z.string(), name: z.string(), published: z.boolean() });
export type NotebookVersion = z.infer<typeof notebookVersionSchema>;
export const notebookVersionsAnswerSchema = z.object({ versions: z.array(notebookVersionSchema) });
/** `GET …/notebooks/:nid/versions/:version`: one saved version, read-only, with its own name, time and author. */
export const notebookVersionContentSchema = notebookVersionSchema.extend({ content: z.unknown() });
export type NotebookVersionContent = z.infer<typeof notebookVersionContentSchema>;
export const notebookVersionAnswerSchema = z.object({ version: notebookVersionContentSchema });

/** A notebook shipped with ALMReady (`notebooks/examples/`), as `GET /api/notebook-examples` lists it. */
export const notebookExampleSchema = z.object({ id: z.string(), name: z.string(), description: z.string() });
export type NotebookExample = z.infer<typeof notebookExampleSchema>;
export const notebookExamplesAnswerSchema = z.object({ examples: z.array(notebookExampleSchema) });
