/** Datasets: what manifest.json holds and the API returns, and the problems an import reports. */
import { z } from 'zod';

/**
 * One problem found while importing. `row` is the 1-based line of the source file (the header is
 * line 1 of a plain CSV); 0 and `column: ''` mean the problem concerns the whole file.
 */
export const importErrorSchema = z.object({
  file: z.string(),
  row: z.number().int(),
  column: z.string(),
  value: z.string(),
  reason: z.string(),
});
export type ImportError = z.infer<typeof importErrorSchema>;

export const datasetMetaSchema = z.object({
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
  skipped: z.object({ count: z.number(), errors: z.array(importErrorSchema) }),
});
export type DatasetMeta = z.infer<typeof datasetMetaSchema>;
export const datasetAnswerSchema = z.object({ dataset: datasetMetaSchema });
export const datasetsAnswerSchema = z.object({ datasets: z.array(datasetMetaSchema) });

/** A column mapping saved in a workspace (`GET /mappings`, `PUT /mappings/:name`), reused by name on upload. */
export const savedMappingSchema = z.object({ name: z.string(), mapping: z.record(z.string(), z.string()), updatedBy: z.string(), updatedAt: z.string() });
export type SavedMapping = z.infer<typeof savedMappingSchema>;
export const mappingsAnswerSchema = z.object({ mappings: z.array(savedMappingSchema) });
