/**
 * What workspace, run and notebook code needs from the server core. Structural on purpose: the
 * core's `AppDeps` satisfies it, and tests can build one from a real database and temp folder.
 */
import type { Database } from 'better-sqlite3';
import type { Writable } from 'node:stream';

export interface AuditEvent {
  action: string;
  userId?: string;
  workspaceId?: string;
  detail?: unknown;
  ip?: string;
}

export interface WorkspaceQueries {
  /** `caller.userId`: statements of one user take turns with other users'. */
  page(workspaceDir: string, datasetId: string, request: unknown, caller?: { userId?: string }): Promise<unknown>;
  exportCsv(workspaceDir: string, datasetId: string, request: unknown, out: Writable, caller?: { userId?: string }): Promise<unknown>;
  runSql(workspaceDir: string, datasetId: string, sql: string, options: { maxRows?: number; userId?: string }): Promise<unknown>;
  close(workspaceDir: string): Promise<void> | void;
  /** Makes a Parquet file of the workspace queryable as table `name` in its SQL and grids. */
  registerTable?(workspaceDir: string, name: string, parquetPath: string): Promise<void>;
  /** Names registered table `target` also `alias`, in SQL and grids on one dataset only. */
  setDatasetAlias?(workspaceDir: string, datasetId: string, alias: string, target: string): Promise<void>;
  /** A sorted, filtered page of a registered table (no dataset needed). */
  pageTable?(workspaceDir: string, table: string, request: unknown, caller?: { userId?: string }): Promise<unknown>;
}

export interface RunServiceLike {
  close(): Promise<void>;
  /** Forgets a deleted dataset's cached engine columns (runs/dataset-cache.ts). */
  forgetDataset?(datasetDir: string): void;
}

import type { ZipLimits } from '../config.ts';
import type { JobPool } from '../workers/pool.ts';

export interface WorkspaceDeps {
  config: {
    dataDir: string; maxUploadMb?: number; workspaceTtlDays?: number | null | undefined;
    zipLimits?: ZipLimits; uploadsPerUser?: number; uploadIdleMs?: number; [key: string]: unknown;
  };
  db: Database;
  logger: { info: (...args: any[]) => void; warn: (...args: any[]) => void; error: (...args: any[]) => void };
  audit: { record(event: AuditEvent): void };
  queries?: WorkspaceQueries | undefined;
  runs?: RunServiceLike | undefined;
  /** The server's worker pool (workers/pool.ts): runs are its `run` kind; other kinds register on it. */
  jobs?: JobPool | undefined;
  /** Builds the host notebook cells run on (notebook-exec/service.ts); tests set their own. */
  notebookHost?: ((scope: { workspace: { id: string; dir: string }; user: { id: string }; datasetId: string | null }) => import('@almready/notebooks').CellHost) | undefined;
  notebookExec?: RunServiceLike | undefined;
}

export interface SessionUser {
  id: string;
  username: string;
  role: 'admin' | 'member';
}
