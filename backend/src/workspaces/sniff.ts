/**
 * Which sniffed file types each upload field accepts. The sniffer itself is the importer's
 * (data/import/file-type.ts), so the upload and the import agree on what a file is.
 */
import type { SniffedType } from '../data/import/file-type.ts';

export { sniffFile, type SniffedType } from '../data/import/file-type.ts';

export const ALLOWED_TYPES: Record<string, readonly SniffedType[]> = {
  positions: ['csv', 'xlsx', 'parquet', 'zip'],
  curves: ['csv', 'xlsx'],
  schedules: ['csv'],
};
