/**
 * Where a workspace lives on disk: `<dataDir>/workspaces/<owner_id>/<workspace_id>/` with
 * `datasets/`, `runs/` and `notebooks/`. Only validated UUIDs ever become path segments.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isUuid } from './ids.ts';

export const WORKSPACE_SUBDIRS = ['datasets', 'runs', 'notebooks'] as const;

export function workspaceDir(dataDir: string, ownerId: string, workspaceId: string): string {
  if (!isUuid(workspaceId)) throw new Error(`workspace id is not a UUID: ${workspaceId}`);
  if (!/^[A-Za-z0-9_-]+$/.test(ownerId)) throw new Error('owner id is not a safe path segment');
  return join(dataDir, 'workspaces', ownerId, workspaceId);
}

export function createWorkspaceLayout(dir: string): void {
  for (const sub of WORKSPACE_SUBDIRS) mkdirSync(join(dir, sub), { recursive: true });
}
