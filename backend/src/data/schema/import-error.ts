import { z } from 'zod';

/**
 * One problem found while importing. `row` is the 1-based line of the source file (the header is
 * line 1 of a plain CSV); 0 and `column: ''` mean the problem concerns the whole file.
 */
export const ImportErrorSchema = z.object({
  file: z.string(),
  row: z.number().int(),
  column: z.string(),
  value: z.string(),
  reason: z.string(),
});
export type ImportError = z.infer<typeof ImportErrorSchema>;

/** How many row errors are listed; the total is always counted. */
export const MAX_LISTED_ERRORS = 1000;

export function fileError(file: string, reason: string, column = '', value = ''): ImportError {
  return { file, row: 0, column, value, reason };
}
