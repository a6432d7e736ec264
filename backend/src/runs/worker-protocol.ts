/** Messages between the run service (main thread) and a calculation worker. */
import type { RunSettings } from './settings.ts';

export interface WorkerRequest {
  type: 'run';
  runId: string;
  datasetDir: string;
  outDir: string;
  settings: RunSettings;
}

export interface ResultTable {
  columns: { name: string; type: 'string' | 'number' | 'boolean' }[];
  rows: Record<string, string | number | boolean | null>[];
}

export const RESULT_TABLES = ['eve', 'nii', 'gap', 'eve_by_bucket', 'eve_by_product', 'nii_profile'] as const;
export type ResultTableName = (typeof RESULT_TABLES)[number];

export type WorkerMessage =
  | { type: 'progress'; phase: string; fraction: number }
  /** The worker is inside (busy) or out of native DuckDB calls; terminating it inside one aborts the process. */
  | { type: 'native'; busy: boolean }
  | { type: 'done'; summary: Record<string, unknown> }
  | { type: 'failed'; message: string };
