/**
 * Expected failures of workspace routes, thrown as one error type and turned into the API's one
 * error shape `{error: {code, message, details?}}` by `workspaceErrors` (so the shape holds even
 * before any outer error middleware sees it).
 */
import type { Context, Next } from 'koa';

export class ApiError extends Error {
  readonly expose = true;
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'ApiError';
  }
}

export function apiError(status: number, code: string, message: string, details?: unknown): ApiError {
  return new ApiError(status, code, message, details);
}

export const notFound = (what = 'Workspace'): ApiError => apiError(404, 'not_found', `${what} not found.`);

export async function workspaceErrors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    ctx.status = error.status;
    ctx.body = { error: error.details === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, details: error.details } };
  }
}
