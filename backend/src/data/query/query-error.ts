/**
 * The one error type of the query layer, a subclass of the server's AppError: `code` gives the
 * HTTP status; `message` is a sentence the user can act on and never carries another workspace's
 * file paths.
 */
import { AppError } from '../../app-error.ts';

export type QueryErrorCode = 'bad_request' | 'syntax_error' | 'forbidden_statement' | 'timeout' | 'memory_limit' | 'not_found' | 'too_large' | 'busy';

/** The HTTP status of each code: a QueryError is one of the server's AppErrors. */
const QUERY_ERROR_STATUS: Record<QueryErrorCode, number> = { bad_request: 400, syntax_error: 400, forbidden_statement: 403, not_found: 404, timeout: 408, memory_limit: 413, too_large: 413, busy: 429 };

export class QueryError extends AppError {
  declare readonly code: QueryErrorCode;
  constructor(code: QueryErrorCode, message: string) {
    super(QUERY_ERROR_STATUS[code] ?? 400, code, message);
    this.name = 'QueryError';
  }
}

/** What DuckDB's error() raises when an answer passes its byte budget (read-only-sql.ts). */
export const TOO_LARGE_MARKER = 'almready: answer larger than the byte budget';

export interface ErrorContext {
  /** The byte budget of answers, for the too_large message. */
  maxResultBytes?: number;
  /** Set when our own statement timer interrupted the statement. */
  timedOut: boolean;
  timeoutMs: number;
  memoryLimit: string;
  /** Absolute paths to hide from messages (the workspace directory, its real path). */
  hidePaths: string[];
}

/** Turns whatever DuckDB threw into a QueryError with a message fit for the user. */
export function toQueryError(error: unknown, context: ErrorContext): QueryError {
  if (error instanceof QueryError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  if (context.timedOut || /^INTERRUPT Error/i.test(raw)) {
    return new QueryError('timeout', `The query ran longer than ${context.timeoutMs / 1000} s and was stopped; filter or aggregate more, or add a LIMIT.`);
  }
  if (raw.includes(TOO_LARGE_MARKER)) {
    const mb = Math.round(((context.maxResultBytes ?? 0) / 1024 / 1024) * 10) / 10;
    return new QueryError('too_large', `The answer would be larger than ${mb} MB; select fewer or shorter columns, aggregate, or add a LIMIT.`);
  }
  if (/^Out of Memory Error/i.test(raw)) {
    return new QueryError('memory_limit', `The query needed more memory than this workspace allows (${context.memoryLimit}) and was stopped; filter or aggregate more, or select fewer columns.`);
  }
  if (/^Permission Error/i.test(raw)) {
    return new QueryError('forbidden_statement', 'Queries may read only the tables of this workspace (positions, curves, schedules and registered results); reading or writing files, extensions and settings are not allowed.');
  }
  if (/^Parser Error/i.test(raw)) return new QueryError('syntax_error', hideAnyPath(hidePaths(firstParagraph(raw), context.hidePaths)));
  if (/^IO Error/i.test(raw) && /No files found|No such file|does not exist/i.test(raw)) {
    return new QueryError('not_found', 'A table file of this dataset is missing; the dataset may have been deleted.');
  }
  return new QueryError('bad_request', hideAnyPath(hidePaths(firstParagraph(raw), context.hidePaths)));
}

/**
 * Whatever absolute path is left (the data folder, a temp file, the server's home) becomes
 * `<path>`: a path of two or more segments after a quote, blank or line start.
 */
export function hideAnyPath(message: string): string {
  return message.replace(/(^|[\s'"(=:])(?:[A-Za-z]:)?[\\/](?:[^\s'"\\/]+[\\/])+[^\s'")]*/g, '$1<path>');
}

function firstParagraph(message: string): string {
  // DuckDB appends "LINE 1: ..." context and hint lists after a blank line; the first part is the reason.
  const cut = message.split(/\n\s*\n/)[0] ?? message;
  return cut.trim().slice(0, 500);
}

export function hidePaths(message: string, paths: string[]): string {
  let out = message;
  for (const p of [...paths].sort((a, b) => b.length - a.length)) {
    if (p.length > 1) out = out.split(p).join('<workspace>');
  }
  return out;
}
