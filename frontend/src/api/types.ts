/** Shapes of the API answers the SPA reads (backend/API.md). */
export type UserRole = 'admin' | 'member';
export interface User { id: string; username: string; role: UserRole }
export interface AdminUser extends User { disabled: boolean; createdAt: string }

export type WorkspaceRole = 'owner' | 'edit' | 'explore' | 'view';
export const ROLE_ORDER: readonly WorkspaceRole[] = ['view', 'explore', 'edit', 'owner'];
export function hasRole(role: WorkspaceRole, needed: WorkspaceRole): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(needed);
}

export interface Workspace {
  id: string;
  name: string;
  description: string | null;
  role: WorkspaceRole;
  owner: { id: string; username: string };
  createdAt: string;
  updatedAt: string;
}
export interface Member { userId: string; username: string; role: WorkspaceRole }

export interface DatasetTotal { side: string; currency: string; count: number; notional: number }
export interface DatasetMeta {
  id: string;
  workspaceId: string;
  name: string;
  asOf: string;
  createdAt: string;
  createdBy: string;
  sourceFiles: { field: string; name: string; bytes: number }[];
  rows: { positions: number; curves: number; schedules: number };
  totals: DatasetTotal[];
  contentHash: string;
  mapping: Record<string, string> | null;
  skipped: { count: number; errors: unknown[] };
}

export interface ValidationError { file: string; row: number; column: string; value: unknown; reason: string }

export interface ResultColumn { name: string; type: string }
export interface TableResult { columns: ResultColumn[]; rows: Record<string, unknown>[] }
export interface QueryResult extends TableResult { rowCount: number }
export interface SqlResult extends TableResult { truncated: boolean }

// Run and audit shapes are the server's own types (type-only imports: nothing of the backend is bundled).
export type { RunStatus, Run } from '../../../backend/src/runs/repository.ts';
export type { RunSettings } from '../../../backend/src/runs/settings.ts';

export interface NotebookSummary { id: string; name: string; version: number; published: boolean; updatedAt: string; updatedBy: string }
export interface Notebook { id: string; name: string; version: number; content: unknown; published: boolean }

export type { AuditEvent } from '../../../backend/src/audit/audit-log.ts';
