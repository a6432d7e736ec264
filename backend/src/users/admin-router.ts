/**
 * /api/admin: user management and the audit log, admins only. Users are never deleted (their
 * names stay on notebooks, runs and audit events); they are disabled instead.
 */
import { Router } from '@koa/router';
import type { AppDeps } from '../app-deps.ts';
import { requireAdmin } from '../auth/authenticate.ts';
import { httpError } from '../middleware/errors.ts';
import { parseWith } from '../middleware/validate.ts';
import { auditQuerySchema, createUserBodySchema, updateUserBodySchema } from './user-schema.ts';
import { createUser, findUserById, listUsers, toPublicUser, updateUser, type UserResult } from './user-store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function unwrap(result: UserResult) {
  if (result.ok) return result.user;
  const status = result.code === 'not_found' ? 404 : 409;
  throw httpError(status, result.code, result.message);
}

export function createAdminRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin' });
  router.use(requireAdmin());

  router.get('/users', (ctx) => {
    ctx.body = { users: listUsers(deps.db).map(toPublicUser) };
  });

  router.post('/users', async (ctx) => {
    const body = parseWith(createUserBodySchema, ctx.request.body);
    const user = unwrap(await createUser(deps.db, body));
    deps.audit.record({ action: 'user.create', userId: ctx.state.user?.id, ip: ctx.ip, detail: { targetUserId: user.id, username: user.username, role: user.role } });
    ctx.status = 201;
    ctx.body = { user: toPublicUser(user) };
  });

  router.patch('/users/:userId', async (ctx) => {
    const userId = ctx.params.userId ?? '';
    if (!UUID.test(userId) || !findUserById(deps.db, userId)) throw httpError(404, 'not_found', 'No such user.');
    const body = parseWith(updateUserBodySchema, ctx.request.body);
    const user = unwrap(await updateUser(deps.db, userId, body));
    const changed = { ...body, password: body.password === undefined ? undefined : 'reset' };
    deps.audit.record({ action: 'user.update', userId: ctx.state.user?.id, ip: ctx.ip, detail: { targetUserId: user.id, username: user.username, ...changed } });
    ctx.body = { user: toPublicUser(user) };
  });

  router.get('/audit', (ctx) => {
    const query = parseWith(auditQuerySchema, ctx.query);
    ctx.body = { events: deps.audit.list(query) };
  });

  return router;
}
