/** One problem found while importing: the contract's schema (@almready/contracts datasets.ts). */
export { importErrorSchema as ImportErrorSchema, type ImportError } from '@almready/contracts';
import type { ImportError } from '@almready/contracts';

/** How many row errors are listed; the total is always counted. */
export const MAX_LISTED_ERRORS = 1000;

export function fileError(file: string, reason: string, column = '', value = ''): ImportError {
  return { file, row: 0, column, value, reason };
}
