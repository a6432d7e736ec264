/** Messages between the run service (main thread) and a calculation worker. */
import type { RunSummary } from '@almready/contracts';
import type { RunSettings } from './settings.ts';

export { RESULT_TABLES, type ResultTable, type ResultTableName } from '@almready/contracts';

export interface WorkerRequest {
  type: 'run';
  runId: string;
  datasetDir: string;
  outDir: string;
  settings: RunSettings;
}

export type WorkerMessage =
  | { type: 'progress'; phase: string; fraction: number }
  /** The worker is inside (busy) or out of native DuckDB calls; terminating it inside one aborts the process. */
  | { type: 'native'; busy: boolean }
  | { type: 'done'; summary: RunSummary }
  | { type: 'failed'; message: string };
