/**
 * Retention (`ALMREADY_WORKSPACE_TTL_DAYS`): a workspace nobody changed for that many days is
 * deleted, rows first and then its folder (the same order as a user's delete), and audited.
 */
import type { WorkspaceDeps } from './deps.ts';
import { deleteWorkspace } from './workspace-routes.ts';
import { runServiceFor } from '../runs/service.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function purgeExpiredWorkspaces(deps: WorkspaceDeps, now: Date): Promise<{ purged: string[] }> {
  const ttl = deps.config.workspaceTtlDays;
  if (ttl === null || ttl === undefined || !(ttl > 0)) return { purged: [] };
  const cutoff = new Date(now.getTime() - ttl * DAY_MS).toISOString();
  const expired = deps.db.prepare('SELECT id, owner_id, name, updated_at FROM workspaces WHERE updated_at < ? ORDER BY updated_at').all(cutoff) as
    { id: string; owner_id: string; name: string; updated_at: string }[];
  const purged: string[] = [];
  for (const ws of expired) {
    await deleteWorkspace(deps, ws.id, ws.owner_id, () => runServiceFor(deps).cancelWorkspace(ws.id));
    deps.audit.record({ action: 'workspace.purge', userId: ws.owner_id, workspaceId: ws.id, detail: { name: ws.name, lastUpdated: ws.updated_at, ttlDays: ttl } });
    purged.push(ws.id);
  }
  if (purged.length > 0) deps.logger.info({ purged: purged.length, ttlDays: ttl }, 'purged expired workspaces');
  return { purged };
}
