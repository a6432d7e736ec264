/**
 * The workspace routes' names for the server's one error type (app-error.ts). `ApiError` and
 * `apiError` are the same class and factory as `AppError`/`appError`; the error middleware at the
 * app's edge renders them, so workspace routes need no error middleware of their own.
 */
import type { Context, Next } from 'koa';
import { AppError, appError } from '../app-error.ts';

export { AppError as ApiError, appError as apiError } from '../app-error.ts';

export const notFound = (what = 'Workspace'): AppError => appError(404, 'not_found', `${what} not found.`);

/**
 * Kept for callers that still mount it: errors pass straight through to the app's one error
 * middleware (middleware/errors.ts), which renders every `AppError` in the same shape.
 */
export async function workspaceErrors(_ctx: Context, next: Next): Promise<void> {
  await next();
}
