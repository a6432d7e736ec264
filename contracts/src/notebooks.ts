/**
 * The notebook store's API. `content` is a notebook document in the format of
 * `@almready/notebooks` (parseNotebook checks and upgrades it); the store refuses anything else.
 */
import { z } from 'zod';

const name = z.string().trim().min(1, 'name must not be empty').max(200, 'name is at most 200 characters');
/** `POST /api/workspaces/:wid/notebooks` (no content: an empty notebook) */
export const createNotebookBodySchema = z.strictObject({ name, content: z.unknown().optional() });
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
export const notebookVersionSchema = z.object({ version: z.number().int().positive(), savedAt: z.string(), savedBy: z.string(), name: z.string() });
export type NotebookVersion = z.infer<typeof notebookVersionSchema>;
export const notebookVersionsAnswerSchema = z.object({ versions: z.array(notebookVersionSchema) });
/** `GET …/notebooks/:nid/versions/:version`: one saved version, read-only, with its own name, time and author. */
export const notebookVersionContentSchema = notebookVersionSchema.extend({ content: z.unknown() });
export type NotebookVersionContent = z.infer<typeof notebookVersionContentSchema>;
export const notebookVersionAnswerSchema = z.object({ version: notebookVersionContentSchema });
