/**
 * /api/admin (mounted there): user management and the audit log, each route declared admin-only.
 * Users are never deleted (their names stay on notebooks, runs and audit events); they are
 * disabled instead.
 */
import type { AppDeps } from '../app-deps.ts';
import { appError as httpError } from '../app-error.ts';
import { ADMIN, RouteTable } from '../http/route-table.ts';
import { parseWith } from '../middleware/validate.ts';
import { auditQuerySchema, createUserBodySchema, updateUserBodySchema } from './user-schema.ts';
import { createUser, findUserById, listUsers, toPublicUser, updateUser, type UserResult } from './user-store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function unwrap(result: UserResult) {
  if (result.ok) return result.user;
  const status = result.code === 'not_found' ? 404 : 409;
  throw httpError(status, result.code, result.message);
}

export function createAdminRoutes(deps: AppDeps): RouteTable {
  const routes = new RouteTable();
  const admin = { access: ADMIN };

  routes.get('/users', admin, (ctx) => {
    ctx.body = { users: listUsers(deps.db).map(toPublicUser) };
  });

  routes.post('/users', { ...admin, schema: createUserBodySchema }, async (ctx) => {
    const body = ctx.request.body;
    const user = unwrap(await createUser(deps.db, body));
    deps.audit.record({ action: 'user.create', userId: ctx.state.user?.id, ip: ctx.ip, detail: { targetUserId: user.id, username: user.username, role: user.role } });
    ctx.status = 201;
    ctx.body = { user: toPublicUser(user) };
  });

  routes.patch('/users/:userId', { ...admin, schema: updateUserBodySchema }, async (ctx) => {
    const userId = ctx.params.userId ?? '';
    if (!UUID.test(userId) || !findUserById(deps.db, userId)) throw httpError(404, 'not_found', 'No such user.');
    const body = ctx.request.body;
    const user = unwrap(await updateUser(deps.db, userId, body));
    const changed = { ...body, password: body.password === undefined ? undefined : 'reset' };
    deps.audit.record({ action: 'user.update', userId: ctx.state.user?.id, ip: ctx.ip, detail: { targetUserId: user.id, username: user.username, ...changed } });
    ctx.body = { user: toPublicUser(user) };
  });

  routes.get('/audit', admin, (ctx) => {
    const query = parseWith(auditQuerySchema, ctx.query);
    ctx.body = { events: deps.audit.list(query) };
  });

  return routes;
}
