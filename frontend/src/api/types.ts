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

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
/** Run settings as the server records them (backend/src/runs/settings.ts). */
export interface RunSettings {
  method: 'full' | 'standardised';
  /** EU post-shock lower bound on (true) or off (BCBS). */
  floor: boolean;
  scenarios: string[];
  tier1: number | null;
  niiHorizonMonths: number;
}
export interface Run {
  id: string;
  status: RunStatus;
  /** 0..1, with the worker's current phase. */
  progress: number;
  phase: string;
  settings: RunSettings;
  datasetId: string;
  createdBy: string;
  createdByName?: string;
  createdAt: string;
  finishedAt: string | null;
  summary?: Record<string, unknown> | null;
  error?: string | null;
}

export interface NotebookSummary { id: string; name: string; version: number; published: boolean; updatedAt: string; updatedBy: string }
export interface Notebook { id: string; name: string; version: number; content: unknown; published: boolean }

export interface AuditEvent {
  id: string | number;
  at: string;
  userId: string | null;
  username: string | null;
  action: string;
  workspaceId: string | null;
  detail: unknown;
  ip: string | null;
}
