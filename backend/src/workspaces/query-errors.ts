/**
 * The query layer's errors at the route edge. A `QueryError` is already an `AppError` carrying its
 * HTTP status (data/query/query-error.ts), so this only tells it apart from unexpected failures
 * (which stay 500s); its messages are already fit for users.
 */
import { QueryError } from '../data/query/query-error.ts';
import type { ApiError } from './api-error.ts';

export function fromQueryError(error: unknown): ApiError | undefined {
  return error instanceof QueryError ? error : undefined;
}

export async function mapQueryErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw fromQueryError(error) ?? error;
  }
}
