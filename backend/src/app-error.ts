/**
 * The one error type of the server. Anything that should reach the user as a 4xx (or 503) is an
 * `AppError` (or a subclass, e.g. the query layer's `QueryError`); the error middleware
 * (middleware/errors.ts) turns it into the API's one shape `{error: {code, message, details?}}`.
 * Any other 5xx never shows its message: the user gets "something went wrong" and a request id.
 * No Koa import here, so domain code (query layer, importers) can throw it too.
 */
export class AppError extends Error {
  override name = 'AppError';
  /**
   * Koa's convention: only errors below 500 show their message; a 503 too, since it is only ever
   * thrown on purpose with a sentence for the user ("… is not available on this server").
   */
  readonly expose: boolean;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.expose = status < 500 || status === 503;
  }
}

/** `throw appError(404, 'not_found', 'No such workspace.')` */
export function appError(status: number, code: string, message: string, details?: unknown, headers?: Record<string, string>): AppError {
  return new AppError(status, code, message, details, headers);
}
