/**
 * Body and query validation with zod. Schemas are `.strict()` so a misspelt field is refused
 * with its name rather than silently ignored; the message names the path of each problem.
 */
import type { ZodError, ZodType } from 'zod';
import { appError } from '../app-error.ts';

export function formatZodError(error: ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : 'body';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : '';
  return `Invalid request: ${parts.join('; ')}${more}.`;
}

/** Parses `value` or throws a 422 `validation_failed` naming each bad field. */
export function parseWith<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw appError(422, 'validation_failed', formatZodError(result.error), {
    issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}
