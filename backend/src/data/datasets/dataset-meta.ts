import { z } from 'zod';
import { ImportErrorSchema } from '../schema/import-error.ts';

/** `DatasetMeta` of backend/API.md: what manifest.json holds and the API returns. */
export const DatasetMetaSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  createdAt: z.string(),
  createdBy: z.string(),
  sourceFiles: z.array(z.object({ field: z.string(), name: z.string(), bytes: z.number() })),
  rows: z.object({ positions: z.number(), curves: z.number(), schedules: z.number() }),
  totals: z.array(z.object({ side: z.string(), currency: z.string(), count: z.number(), notional: z.number() })),
  contentHash: z.string(),
  mapping: z.record(z.string(), z.string()),
  /** attribute columns kept beside the canonical ones */
  attributes: z.array(z.string()).default([]),
  /** files of a bank ZIP that were not bank export files */
  ignoredFiles: z.array(z.string()).default([]),
  skipped: z.object({ count: z.number(), errors: z.array(ImportErrorSchema) }),
});
export type DatasetMeta = z.infer<typeof DatasetMetaSchema>;

export const DATASET_FILES = ['positions.parquet', 'curves.parquet', 'schedules.parquet'] as const;
