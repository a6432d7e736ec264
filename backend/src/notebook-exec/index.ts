/** What the notebook runner uses to execute cells on a workspace's data (see README.md). */
export { createNotebookHost } from './notebook-host.ts';
export type { CellFailure, CellIdentity, NotebookCellDeps, NotebookHost, NotebookHostOptions, NotebookSandbox, SqlCellOutcome, TsCellInputs, TsCellOutcome } from './notebook-host.ts';
export type { StoredTable } from './cell-sql.ts';
export { NotebookExecError, resultRef, runTableRef, RESULTS_DIR, type StoredTableRef } from './stored-tables.ts';
export { WorkspaceAlmHost, type HostScope, type NotebookHostDeps } from './workspace-host.ts';
export { sqlReferencePort } from './sql-references.ts';
