import type { ValidationError } from '../api/types.ts';

/** Reads the 422 details of an upload: every rejected row, with the total the server counted. */
export function readValidationErrors(details: unknown): { errors: ValidationError[]; total: number } | null {
  const d = details as { errors?: unknown; total?: unknown } | null | undefined;
  if (!d || !Array.isArray(d.errors)) return null;
  const errors = d.errors.filter((e): e is ValidationError => typeof e === 'object' && e !== null && 'reason' in e);
  return { errors, total: typeof d.total === 'number' ? d.total : errors.length };
}
