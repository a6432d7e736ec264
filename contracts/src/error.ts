/** The one error shape every route answers with (4xx and 5xx alike). */
import { z } from 'zod';

export const validationIssueSchema = z.object({ path: z.string(), message: z.string() });

export const errorBodySchema = z.object({
  error: z.object({
    /** stable, machine-readable: `validation_failed`, `not_found`, `run_not_done`… */
    code: z.string().regex(/^[a-z][a-z0-9_]*$/),
    /** a sentence for the user that says what to fix */
    message: z.string().min(1),
    /** `validation_failed` carries `{issues: [{path, message}]}`; other codes their own detail */
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
export type ValidationIssue = z.infer<typeof validationIssueSchema>;
