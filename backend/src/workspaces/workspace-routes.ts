/** Workspace CRUD and sharing: `/`, `/:wid`, `/:wid/members…`. */
import { rmSync } from 'node:fs';
import { createWorkspaceBodySchema as createBody, memberBodySchema as memberBody, patchWorkspaceBodySchema as patchBody } from '@almready/contracts';
import { RouteTable, SIGNED_IN, workspaceRole } from '../http/route-table.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { apiError, notFound } from './api-error.ts';
import type { WorkspaceDeps } from './deps.ts';
import { newId, isUuid } from './ids.ts';
import { createWorkspaceLayout, workspaceDir } from './paths.ts';
import { access, sessionUser } from './permissions.ts';
import {
  deleteWorkspaceRows, findUserByUsername, getWorkspaceRow, insertWorkspace, listMembers, listWorkspacesOf,
  removeMember, toWorkspace, updateWorkspace, upsertMember,
} from './repository.ts';


/** Creates the rows and the folder of a new workspace; the caller becomes its owner. */
export function createWorkspace(deps: WorkspaceDeps, owner: { id: string }, input: { name: string; description?: string | undefined }) {
  const id = newId();
  const now = new Date().toISOString();
  createWorkspaceLayout(workspaceDir(deps.config.dataDir, owner.id, id));
  insertWorkspace(deps.db, { id, ownerId: owner.id, name: input.name, description: input.description ?? '', now });
  const row = getWorkspaceRow(deps.db, id);
  if (!row) throw new Error('workspace row vanished after insert');
  return toWorkspace(row, 'owner');
}

/** Deletes rows first, then the folder: a crash in between leaves only an orphan folder, never a row without files. */
export async function deleteWorkspace(deps: WorkspaceDeps, id: string, ownerId: string, onBeforeFiles?: () => Promise<void>): Promise<void> {
  deleteWorkspaceRows(deps.db, id);
  const dir = workspaceDir(deps.config.dataDir, ownerId, id);
  await onBeforeFiles?.();
  await deps.queries?.close(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Unknown names one user may try when sharing, per window, before every share answers 429. */
export const MEMBER_LOOKUP_MISSES = 10;
const MEMBER_LOOKUP_WINDOW_MS = 10 * 60_000;

export function workspaceRoutes(deps: WorkspaceDeps, hooks: { beforeDelete?: (workspaceId: string) => Promise<void> } = {}): RouteTable {
  const routes = new RouteTable();
  const memberLookups = new LoginThrottle({ maxFailures: MEMBER_LOOKUP_MISSES, windowMs: MEMBER_LOOKUP_WINDOW_MS, baseLockMs: MEMBER_LOOKUP_WINDOW_MS });

  routes.get('/', { access: SIGNED_IN }, (ctx) => {
    ctx.body = { workspaces: listWorkspacesOf(deps.db, sessionUser(ctx).id) };
  });

  routes.post('/', { access: SIGNED_IN, schema: createBody }, async (ctx) => {
    const user = sessionUser(ctx);
    const body = ctx.request.body;
    const workspace = createWorkspace(deps, user, body);
    deps.audit.record({ action: 'workspace.create', userId: user.id, workspaceId: workspace.id, detail: { name: workspace.name }, ip: ctx.ip });
    ctx.status = 201;
    ctx.body = { workspace };
  });

  routes.get('/:wid', { access: workspaceRole('view') }, (ctx) => {
    const { row, role } = access(ctx);
    ctx.body = { workspace: toWorkspace(row, role) };
  });

  routes.patch('/:wid', { access: workspaceRole('owner'), schema: patchBody }, async (ctx) => {
    const { row, user } = access(ctx);
    const body = ctx.request.body;
    updateWorkspace(deps.db, row.id, body, new Date().toISOString());
    deps.audit.record({ action: 'workspace.update', userId: user.id, workspaceId: row.id, detail: body, ip: ctx.ip });
    const updated = getWorkspaceRow(deps.db, row.id);
    if (!updated) throw notFound();
    ctx.body = { workspace: toWorkspace(updated, 'owner') };
  });

  routes.delete('/:wid', { access: workspaceRole('owner') }, async (ctx) => {
    const { row, user } = access(ctx);
    await deleteWorkspace(deps, row.id, row.owner_id, () => hooks.beforeDelete?.(row.id) ?? Promise.resolve());
    deps.audit.record({ action: 'workspace.delete', userId: user.id, workspaceId: row.id, detail: { name: row.name }, ip: ctx.ip });
    ctx.status = 204;
  });

  routes.get('/:wid/members', { access: workspaceRole('view') }, (ctx) => {
    ctx.body = { members: listMembers(deps.db, access(ctx).row.id) };
  });

  /*
   * Sharing by user name. A share that succeeds tells the owner the name exists, so the answers
   * cannot be the same for every name; what is bounded is probing. Only the workspace's owner
   * gets as far as the name lookup (everyone else has had 404 or 403, before the body is read),
   * the body must be valid, and each user may try MEMBER_LOOKUP_MISSES unknown names per ten
   * minutes: past that every share by that user answers the same 429, for known and unknown
   * names alike, so a list of names cannot be tested in bulk. Misses are audited.
   */
  routes.put('/:wid/members/:username', { access: workspaceRole('owner'), schema: memberBody }, async (ctx) => {
    const { row, user } = access(ctx);
    const body = ctx.request.body;
    const lookupKey = [`user:${user.id}`];
    const verdict = memberLookups.check(lookupKey);
    if (!verdict.ok) {
      throw apiError(429, 'too_many_attempts', `Too many unknown user names tried; try again in ${verdict.retryAfterSeconds} seconds.`,
        undefined, { 'Retry-After': String(verdict.retryAfterSeconds) });
    }
    const target = findUserByUsername(deps.db, String(ctx.params.username ?? ''));
    if (!target) {
      memberLookups.recordFailure(lookupKey);
      deps.audit.record({ action: 'member.unknown_user', userId: user.id, workspaceId: row.id, ip: ctx.ip });
      throw apiError(404, 'user_not_found', `No user named "${String(ctx.params.username)}".`);
    }
    if (target.id === row.owner_id) throw apiError(409, 'owner_role', 'The owner keeps the owner role; it cannot be changed by sharing.');
    upsertMember(deps.db, row.id, target.id, body.role, new Date().toISOString());
    deps.audit.record({ action: 'member.set', userId: user.id, workspaceId: row.id, detail: { member: target.username, role: body.role }, ip: ctx.ip });
    ctx.body = { member: { userId: target.id, username: target.username, role: body.role } };
  });

  routes.delete('/:wid/members/:userId', { access: workspaceRole('owner') }, (ctx) => {
    const { row, user } = access(ctx);
    const target = ctx.params.userId;
    if (!isUuid(target)) throw notFound('Member');
    if (target === row.owner_id) throw apiError(409, 'owner_cannot_leave', 'The owner cannot be removed from their own workspace; delete the workspace instead.');
    if (!removeMember(deps.db, row.id, String(target))) throw notFound('Member');
    deps.audit.record({ action: 'member.remove', userId: user.id, workspaceId: row.id, detail: { memberId: target }, ip: ctx.ip });
    ctx.status = 204;
  });

  return routes;
}
