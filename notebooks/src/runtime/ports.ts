/**
 * The runner's only doors out. `CellHost` computes what needs DuckDB or the sandbox (SQL and ts
 * cells; the backend implements it over the workspace's DuckDB instance and the QuickJS sandbox);
 * `OutputStore` keeps outputs by cache key (SQLite rows + files on the server, a Map in tests).
 * Markdown, view and input cells are pure and computed by the runner itself.
 */
import type { NotebookAnalysis } from '../cells/analyse-cell.ts';
import type { NotebookDocument, SqlCell, TsCell } from '../format/schema.ts';
import type { Progress } from './events.ts';
import type { CellOutput, CellValue, SqlOutput, TableHandle, TsOutput } from './outputs.ts';

/** A name a cell reads, bound to what its defining cell produced. */
export type InputBinding = { kind: 'value'; value: CellValue } | { kind: 'table'; table: TableHandle };

export interface CellCall<Cell> {
  cell: Readonly<Cell>;
  /** By the name as the cell's source spells it (an SQL cell may write `BY_PRODUCT`). */
  inputs: Readonly<Record<string, InputBinding>>;
  /**
   * The output's key. A host stores a result table under a name derived from it, so two
   * executions of different versions never write the same table.
   */
  cacheKey: string;
  datasetId: string | null;
  notebook: { id: string; version: number };
  /**
   * Aborted when the execution is cancelled. The host stops the cell and removes anything it
   * half wrote; whatever it returns after the abort is discarded, never stored.
   */
  signal: AbortSignal;
  /** Progress of a long step (an engine run). */
  progress(update: Progress): void;
}

/** Expected failures are values: the message the user reads, with its place in the cell's source. */
export type HostResult<T> = { ok: true; output: T } | { ok: false; message: string; line?: number; column?: number };

export interface CellHost {
  runSql(call: CellCall<SqlCell>): Promise<HostResult<SqlOutput>>;
  runTs(call: CellCall<TsCell>): Promise<HostResult<TsOutput>>;
  /** Where prose images with workspace paths load from (null: no such file). */
  workspaceImageUrl?(path: string): string | null;
}

export interface StoredOutput {
  cacheKey: string;
  /** The cell that first produced it (another version's cell of the same content reuses it). */
  cellId: string;
  output: CellOutput;
  durationMs: number;
  createdAt: number;
}

/**
 * Outputs by content key. `put` writes only if the key is absent: equal keys mean equal source,
 * inputs, dataset and engine, so the first complete output stands and a second writer (another
 * user on the same version) changes nothing. A key is never half written.
 */
export interface OutputStore {
  get(cacheKey: string): Promise<StoredOutput | null>;
  put(output: StoredOutput): Promise<void>;
}

/** Cell analysis and the graph, computed on the execution's own frozen copy of the document. */
export type AnalyseNotebook = (doc: NotebookDocument) => Promise<NotebookAnalysis>;
