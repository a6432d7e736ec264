/**
 * `requireWorkspaceRole(min)`: resolves `:wid` to a workspace the caller is a member of.
 * Not a UUID, no such workspace, or not a member → 404 (indistinguishable on purpose: ids of other
 * people's workspaces must not be probeable). Member below `min` → 403. Site admins get nothing extra.
 */
import type { Context, Next } from 'koa';
import { apiError, notFound } from './api-error.ts';
import type { SessionUser, WorkspaceDeps } from './deps.ts';
import { isUuid } from './ids.ts';
import { workspaceDir } from './paths.ts';
import { getWorkspaceRow, memberRole, type WorkspaceRow } from './repository.ts';
import { hasRole, type WorkspaceRole } from './roles.ts';

export interface WorkspaceAccess {
  row: WorkspaceRow;
  role: WorkspaceRole;
  dir: string;
  user: SessionUser;
}

export function sessionUser(ctx: Context): SessionUser {
  const user = ctx.state.user;
  if (!user) throw apiError(401, 'unauthorized', 'Log in first.');
  return user;
}

export function access(ctx: Context): WorkspaceAccess {
  const value = ctx.state.workspace;
  if (!value) throw new Error('requireWorkspaceRole must run before this handler');
  return value;
}

/** Validates a UUID route param; anything else is 404 with the given noun. */
export function uuidParam(ctx: Context, name: string, what: string): string {
  const value = (ctx.params as Record<string, string | undefined>)[name];
  if (!isUuid(value)) throw notFound(what);
  return value;
}

export function requireWorkspaceRole(deps: WorkspaceDeps, min: WorkspaceRole) {
  return async function workspaceRole(ctx: Context, next: Next): Promise<void> {
    const user = sessionUser(ctx);
    const wid = uuidParam(ctx, 'wid', 'Workspace');
    const role = memberRole(deps.db, wid, user.id);
    const row = role ? getWorkspaceRow(deps.db, wid) : undefined;
    if (!role || !row) throw notFound();
    if (!hasRole(role, min)) throw apiError(403, 'forbidden', `This needs the "${min}" role in this workspace; you have "${role}".`);
    ctx.state.workspace = { row, role, dir: workspaceDir(deps.config.dataDir, row.owner_id, row.id), user } satisfies WorkspaceAccess;
    await next();
  };
}
