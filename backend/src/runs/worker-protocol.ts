/**
 * Messages between the run service (main thread) and a calculation worker. A run is one or more
 * jobs (split-run.ts): `load` (the dataset through DuckDB into shared columns, unless cached), then
 * `whole` (a small run on one worker) or `part` × n followed by `merge` (a large run split).
 */
import type { RunSummary } from '@almready/contracts';
import type { AnalysisPartial, AnalysisResult } from '@almready/engine';
import type { RunSettings } from './settings.ts';
import type { SharedDataset } from './shared-dataset.ts';

export { RESULT_TABLES, type ResultTable, type ResultTableName } from '@almready/contracts';

export type WorkerRequest =
  | { type: 'load'; runId: string; datasetDir: string }
  /** one worker computes the whole run; with `outDir` it writes the result tables there, else it answers the result */
  | { type: 'whole'; runId: string; dataset: SharedDataset; settings: RunSettings; outDir?: string; startedAt: number }
  /** positions [from, to) of the book (its locality order) */
  | { type: 'part'; runId: string; dataset: SharedDataset; settings: RunSettings; from: number; to: number }
  /** the parts' partials summed and summarised; with `outDir` the result tables written there */
  | { type: 'merge'; runId: string; dataset: SharedDataset; settings: RunSettings; partials: AnalysisPartial[]; outDir?: string; startedAt: number };

/** A job's wall time and its thread's CPU time and time spent waiting for a CPU (other processes): ms. */
export interface JobTimes { ms: number; cpuMs: number; waitMs: number }

export type WorkerMessage =
  | { type: 'progress'; phase: string; fraction: number }
  /** The worker is inside (busy) or out of native DuckDB calls; terminating it inside one aborts the process. */
  | { type: 'native'; busy: boolean }
  | { type: 'loaded'; dataset: SharedDataset; loadMs: number; times?: JobTimes }
  | { type: 'partial'; partial: AnalysisPartial; times?: JobTimes }
  /** `result` only when the request had no outDir (a caller that keeps the result itself) */
  | { type: 'done'; summary: RunSummary; result?: AnalysisResult; times?: JobTimes }
  | { type: 'failed'; message: string };
