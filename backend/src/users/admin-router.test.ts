import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';

const PASSWORD = 'correct-horse-battery';

describe('admin routes and the audit log', () => {
  let t: TestServer;
  let admin: { cookie: string; token: string };
  let member: { cookie: string; token: string };
  beforeAll(async () => {
    t = await startTestServer();
    await t.createUser('ivan', PASSWORD);
    admin = await t.login('admin', t.admin.password);
    member = await t.login('ivan', PASSWORD);
  });
  afterAll(() => t.stop());

  it('members get 403 on every admin route', async () => {
    const ivanId = String(t.deps.db.prepare("SELECT id FROM users WHERE username = 'ivan'").pluck().get());
    const attempts = await Promise.all([
      t.request('GET', '/api/admin/users', { token: member.token }),
      t.request('POST', '/api/admin/users', { cookie: member.cookie, body: { username: 'x1', password: PASSWORD, role: 'admin' } }),
      t.request('PATCH', `/api/admin/users/${ivanId}`, { token: member.token, body: { role: 'admin' } }),
      t.request('GET', '/api/admin/audit', { token: member.token }),
    ]);
    expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(attempts[0]!.body.error).toEqual({ code: 'forbidden', message: 'Only administrators can do this.' });
    const row = t.deps.db.prepare("SELECT role FROM users WHERE username = 'ivan'").get() as { role: string };
    expect(row.role).toBe('member');
  });

  it('admins list, create and update users; usernames are case-insensitive and unique', async () => {
    const created = await t.request('POST', '/api/admin/users', { token: admin.token, body: { username: 'Judy', password: PASSWORD, role: 'member' } });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ username: 'judy', role: 'member', disabled: false });
    expect(Object.keys(created.body.user).sort()).toEqual(['createdAt', 'disabled', 'id', 'role', 'username']);
    const dup = await t.request('POST', '/api/admin/users', { token: admin.token, body: { username: 'JUDY', password: PASSWORD } });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toEqual({ code: 'username_taken', message: 'The username "judy" is already taken.' });
    const list = await t.request('GET', '/api/admin/users', { token: admin.token });
    expect(list.body.users.map((u: { username: string }) => u.username)).toEqual(['admin', 'ivan', 'judy']);
    const promoted = await t.request('PATCH', `/api/admin/users/${created.body.user.id}`, { token: admin.token, body: { role: 'admin' } });
    expect(promoted.body.user.role).toBe('admin');
    const judy = await t.login('judy', PASSWORD);
    expect((await t.request('GET', '/api/admin/users', { token: judy.token })).status).toBe(200);
    expect((await t.request('PATCH', '/api/admin/users/not-a-uuid', { token: admin.token, body: { role: 'admin' } })).status).toBe(404);
    const empty = await t.request('PATCH', `/api/admin/users/${created.body.user.id}`, { token: admin.token, body: {} });
    expect(empty.status).toBe(422);
  });

  it('the last active admin cannot be demoted or disabled', async () => {
    const t2 = await startTestServer();
    try {
      const a = await t2.login('admin', t2.admin.password);
      const res = await t2.request('PATCH', `/api/admin/users/${a.user.id}`, { token: a.token, body: { disabled: true } });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('last_admin');
    } finally {
      await t2.stop();
    }
  });

  it('records logins, failures, logouts and user admin in the audit log, newest first, paged', async () => {
    await t.request('POST', '/api/auth/login', { body: { username: 'ivan', password: 'wrong-password' } });
    await t.request('POST', '/api/auth/login', { body: { username: 'nobody', password: 'wrong-password' } });
    const session = await t.login('ivan', PASSWORD);
    await t.request('POST', '/api/auth/logout', { cookie: session.cookie });
    const res = await t.request('GET', '/api/admin/audit?limit=200', { token: admin.token });
    expect(res.status).toBe(200);
    const events = res.body.events as { id: number; action: string; username: string | null; detail: any; ip: string }[];
    const actions = events.map((e) => `${e.action}:${e.username ?? '-'}`);
    expect(actions.slice(0, 5)).toEqual(['auth.logout:ivan', 'auth.login:ivan', 'auth.login.failed:-', 'auth.login.failed:ivan', 'auth.login:judy']);
    expect(events[2]!.detail).toEqual({ reason: 'unknown_user' });
    expect(events[3]!.detail).toEqual({ reason: 'wrong_password' });
    expect(events[0]!.ip).toMatch(/127\.0\.0\.1/);
    expect(actions).toContain('user.create:admin');
    expect(actions).toContain('user.update:admin');
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
    const older = await t.request('GET', `/api/admin/audit?limit=2&before=${events[1]!.id}`, { token: admin.token });
    expect(older.body.events.map((e: { id: number }) => e.id)).toEqual([events[2]!.id, events[3]!.id]);
    expect((await t.request('GET', '/api/admin/audit?limit=0', { token: admin.token })).status).toBe(422);
    expect((await t.request('GET', '/api/admin/audit?limit=&before=', { token: admin.token })).body.events[0].id).toBe(events[0]!.id);
  });

  it('other modules record through deps.audit (uploads, runs, shares, deletions)', async () => {
    const ivanId = String(t.deps.db.prepare("SELECT id FROM users WHERE username = 'ivan'").pluck().get());
    t.deps.audit.record({ action: 'dataset.upload', userId: ivanId, workspaceId: '7d1c1a4e-2f4b-4c1e-9a55-0d2a7b1e9c01', detail: { rows: 1200 }, ip: '10.1.2.3' });
    const [latest] = t.deps.audit.list({ limit: 1 });
    expect(latest).toMatchObject({ action: 'dataset.upload', username: 'ivan', workspaceId: '7d1c1a4e-2f4b-4c1e-9a55-0d2a7b1e9c01', detail: { rows: 1200 }, ip: '10.1.2.3' });
  });
});
