/** The query layer's error codes as HTTP statuses; its messages are already fit for users. */
import { apiError, type ApiError } from './api-error.ts';

const STATUS: Record<string, number> = { bad_request: 400, forbidden_statement: 403, not_found: 404, timeout: 408, memory_limit: 413, too_large: 413, busy: 429 };

export function fromQueryError(error: unknown): ApiError | undefined {
  if (!(error instanceof Error) || error.name !== 'QueryError') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  return apiError(STATUS[code] ?? 400, code, error.message);
}

export async function mapQueryErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw fromQueryError(error) ?? error;
  }
}
