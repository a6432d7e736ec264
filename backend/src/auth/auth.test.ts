import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieFrom, startTestServer, type TestServer } from '../testing/server.ts';
import { SignJWT } from 'jose';
import { revokeBearerToken } from './bearer-tokens.ts';
import { sessionIdOf } from './session-store.ts';

const PASSWORD = 'correct-horse-battery';

function base64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

function sessionRow(t: TestServer, cookie: string): { expires_at: number } | undefined {
  const token = cookie.split('=')[1] ?? '';
  return t.deps.db.prepare('SELECT expires_at FROM auth_sessions WHERE id = ?').get(sessionIdOf(token)) as { expires_at: number } | undefined;
}

describe('login, sessions and tokens', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.createUser('alice', PASSWORD);
  });
  afterAll(() => t.stop());

  it('logs in with the right password: user, JWT and a hardened session cookie', async () => {
    const res = await t.request('POST', '/api/auth/login', { body: { username: 'Alice', password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'alice', role: 'member' });
    expect(res.body.token.split('.')).toHaveLength(3);
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/^almready_session=[A-Za-z0-9_-]{43}; HttpOnly; Max-Age=\d+; Path=\/; SameSite=Lax$/m);
    expect(setCookie).not.toContain('Secure'); // plain HTTP, no trusted proxy
  });

  it('stores only the SHA-256 of the cookie token', async () => {
    const { cookie } = await t.login('alice', PASSWORD);
    const token = cookie.split('=')[1] ?? '';
    const ids = (t.deps.db.prepare('SELECT id FROM auth_sessions').all() as { id: string }[]).map((r) => r.id);
    expect(ids).toContain(sessionIdOf(token));
    expect(ids).not.toContain(token);
  });

  it('answers a wrong password and an unknown user identically', async () => {
    const wrong = await t.request('POST', '/api/auth/login', { body: { username: 'alice', password: 'not-the-password' } });
    const unknown = await t.request('POST', '/api/auth/login', { body: { username: 'mallory', password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: 'invalid_credentials', message: 'Wrong username or password.' } });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('logging in again from the same browser ends the previous session', async () => {
    const first = await t.login('alice', PASSWORD);
    const again = await t.request('POST', '/api/auth/login', { cookie: first.cookie, body: { username: 'alice', password: PASSWORD } });
    expect(again.status).toBe(200);
    expect(sessionRow(t, first.cookie)).toBeUndefined();
    expect(sessionRow(t, sessionCookieFrom(again.headers)!)).toBeDefined();
  });

  it('me works with the cookie and with the bearer token; nothing at all is 401', async () => {
    const { cookie, token, user } = await t.login('alice', PASSWORD);
    expect((await t.request('GET', '/api/auth/me', { cookie })).body).toEqual({ user });
    expect((await t.request('GET', '/api/auth/me', { token })).body).toEqual({ user });
    const none = await t.request('GET', '/api/auth/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
  });

  it('logout ends the session: the same cookie is refused afterwards', async () => {
    const { cookie } = await t.login('alice', PASSWORD);
    const out = await t.request('POST', '/api/auth/logout', { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/almready_session=; .*Max-Age=0/);
    expect(sessionRow(t, cookie)).toBeUndefined();
    expect((await t.request('GET', '/api/auth/me', { cookie })).status).toBe(401);
  });

  it('logout with a Bearer token ends that token alone: the user\'s other tokens and sessions go on', async () => {
    await t.createUser('carol', PASSWORD);
    const first = await t.login('carol', PASSWORD);
    const second = await t.login('carol', PASSWORD);
    const out = await t.request('POST', '/api/auth/logout', { token: first.token });
    expect(out.status).toBe(204);
    const refused = await t.request('GET', '/api/auth/me', { token: first.token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('This Bearer token was logged out; log in again for a new one.');
    expect((await t.request('POST', '/api/auth/logout', { token: first.token })).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', { token: second.token })).status).toBe(200);
    expect((await t.request('GET', '/api/auth/me', { cookie: first.cookie })).status).toBe(200);
    const rows = t.deps.db.prepare('SELECT user_id, expires_at FROM revoked_bearer_tokens').all() as { user_id: string; expires_at: number }[];
    expect(rows).toEqual([{ user_id: first.user.id, expires_at: expect.any(Number) }]);
    expect(rows[0]!.expires_at).toBeGreaterThan(Math.floor(Date.now() / 1000) + 86_400);
  });

  it('logout with a token signed before tokens had ids ends all of that user\'s tokens, not the sessions', async () => {
    const dave = await t.createUser('dave', PASSWORD);
    const session = await t.login('dave', PASSWORD);
    const row = t.deps.db.prepare('SELECT token_version FROM users WHERE id = ?').get(dave.id) as { token_version: number };
    const old = await new SignJWT({ ver: row.token_version })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(dave.id)
      .setIssuedAt()
      .setExpirationTime('1d')
      .sign(new TextEncoder().encode(t.deps.config.jwtSecret));
    expect((await t.request('GET', '/api/auth/me', { token: old })).status).toBe(200);
    expect((await t.request('POST', '/api/auth/logout', { token: old })).status).toBe(204);
    for (const token of [old, session.token]) {
      const res = await t.request('GET', '/api/auth/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('The Bearer token is no longer valid; log in again.');
    }
    expect((await t.request('GET', '/api/auth/me', { cookie: session.cookie })).status).toBe(200);
  });

  it('revoked token ids are kept until their token expires, then pruned', () => {
    const erin = t.deps.db.prepare("SELECT id FROM users WHERE username = 'alice'").get() as { id: string };
    const now = 2_000_000_000;
    t.deps.db.prepare('INSERT INTO revoked_bearer_tokens (jti, user_id, expires_at) VALUES (?, ?, ?)').run('gone', erin.id, now - 1);
    t.deps.db.prepare('INSERT INTO revoked_bearer_tokens (jti, user_id, expires_at) VALUES (?, ?, ?)').run('kept', erin.id, now + 60);
    revokeBearerToken(t.deps.db, { sub: erin.id, ver: 1, iat: now - 10, exp: now + 3600, jti: 'new' }, now);
    const ids = (t.deps.db.prepare("SELECT jti FROM revoked_bearer_tokens WHERE jti IN ('gone', 'kept', 'new') ORDER BY jti").all() as { jti: string }[]).map((r) => r.jti);
    expect(ids).toEqual(['kept', 'new']);
  });

  it('an expired session is refused and deleted', async () => {
    const { cookie } = await t.login('alice', PASSWORD);
    const token = cookie.split('=')[1] ?? '';
    t.deps.db.prepare('UPDATE auth_sessions SET expires_at = ? WHERE id = ?').run(Math.floor(Date.now() / 1000) - 1, sessionIdOf(token));
    const res = await t.request('GET', '/api/auth/me', { cookie });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('Your session has ended; log in again.');
    expect(sessionRow(t, cookie)).toBeUndefined();
  });

  it('a session past half its lifetime is renewed and the cookie re-sent (sliding expiry)', async () => {
    const { cookie } = await t.login('alice', PASSWORD);
    const fresh = await t.request('GET', '/api/auth/me', { cookie });
    expect(fresh.headers.getSetCookie()).toEqual([]); // young session: no renewal
    const tenDays = Math.floor(Date.now() / 1000) + 10 * 86_400; // 30-day TTL, 10 days left
    const token = cookie.split('=')[1] ?? '';
    t.deps.db.prepare('UPDATE auth_sessions SET expires_at = ? WHERE id = ?').run(tenDays, sessionIdOf(token));
    const renewed = await t.request('GET', '/api/auth/me', { cookie });
    expect(renewed.status).toBe(200);
    expect(sessionCookieFrom(renewed.headers)).toBe(cookie); // same token, new expiry
    const maxAge = Number(/Max-Age=(\d+)/.exec(renewed.headers.getSetCookie()[0] ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(29 * 86_400);
    expect(sessionRow(t, cookie)!.expires_at).toBeGreaterThan(tenDays + 19 * 86_400);
  });

  it('refuses a token with a forged signature and an alg:none token', async () => {
    const { token, user } = await t.login('alice', PASSWORD);
    const [header, payload] = token.split('.');
    const forgedSig = createHmac('sha256', 'not-the-server-secret').update(`${header}.${payload}`).digest('base64url');
    const forged = await t.request('GET', '/api/auth/me', { token: `${header}.${payload}.${forgedSig}` });
    expect(forged.status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: user.id, ver: 1, iat: now, exp: now + 3600 })}.`;
    const noneRes = await t.request('GET', '/api/auth/me', { token: none });
    expect(noneRes.status).toBe(401);
    expect(noneRes.body.error.code).toBe('unauthorized');
    const tampered = `${header}.${base64url({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: t.deps.db.prepare("SELECT id FROM users WHERE username='admin'").pluck().get() })}.${token.split('.')[2]}`;
    expect((await t.request('GET', '/api/auth/me', { token: tampered })).status).toBe(401);
  });

  it('an expired bearer token is refused', async () => {
    const { SignJWT } = await import('jose');
    const { user } = await t.login('alice', PASSWORD);
    const old = await new SignJWT({ ver: 1 }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id)
      .setIssuedAt(1_700_000_000).setExpirationTime(1_700_000_100).sign(new TextEncoder().encode(t.deps.config.jwtSecret));
    expect((await t.request('GET', '/api/auth/me', { token: old })).status).toBe(401);
  });
});

describe('revocation takes effect at once', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('disabling a user kills their bearer token and cookie on the next request', async () => {
    const bob = await t.createUser('bob', PASSWORD);
    const { cookie, token } = await t.login('bob', PASSWORD);
    const admin = await t.login('admin', t.admin.password);
    expect((await t.request('GET', '/api/auth/me', { token })).status).toBe(200);
    const patch = await t.request('PATCH', `/api/admin/users/${bob.id}`, { token: admin.token, body: { disabled: true } });
    expect(patch.status).toBe(200);
    expect(patch.body.user).toMatchObject({ username: 'bob', disabled: true });
    expect((await t.request('GET', '/api/auth/me', { token })).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', { cookie })).status).toBe(401);
    const again = await t.request('POST', '/api/auth/login', { body: { username: 'bob', password: PASSWORD } });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('account_disabled');
  });

  it('a password reset kills old tokens and sessions; the new password works', async () => {
    const carol = await t.createUser('carol', PASSWORD);
    const { cookie, token } = await t.login('carol', PASSWORD);
    const admin = await t.login('admin', t.admin.password);
    const reset = await t.request('PATCH', `/api/admin/users/${carol.id}`, { cookie: admin.cookie, body: { password: 'a-brand-new-password' } });
    expect(reset.status).toBe(200);
    expect((await t.request('GET', '/api/auth/me', { token })).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', { cookie })).status).toBe(401);
    expect((await t.request('POST', '/api/auth/login', { body: { username: 'carol', password: PASSWORD } })).status).toBe(401);
    const fresh = await t.login('carol', 'a-brand-new-password');
    expect((await t.request('GET', '/api/auth/me', { token: fresh.token })).status).toBe(200);
  });
});

describe('CSRF: cookie requests that change state need our Origin', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { corsOrigins: ['https://alm.bank.internal'] } });
    await t.createUser('dora', PASSWORD);
  });
  afterAll(() => t.stop());

  it('refuses a cookie POST without Origin or from a foreign Origin, accepts same origin and listed origins', async () => {
    const { cookie } = await t.login('dora', PASSWORD);
    const body = { name: 'Treasury' };
    const missing = await t.request('POST', '/api/workspaces', { cookie, body, headers: { origin: '' } });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('csrf_origin_missing');
    const foreign = await t.request('POST', '/api/workspaces', { cookie, body, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toEqual({ code: 'csrf_origin_mismatch', message: 'Requests from https://evil.example are not allowed to change data here.' });
    const foreignReferer = await t.request('POST', '/api/workspaces', { cookie, body, headers: { origin: '', referer: 'https://evil.example/page' } });
    expect(foreignReferer.status).toBe(403);
    const same = await t.request('POST', '/api/workspaces', { cookie, body, headers: { origin: t.url } });
    expect(same.status).toBe(201);
    const viaReferer = await t.request('POST', '/api/workspaces', { cookie, body, headers: { origin: '', referer: `${t.url}/workspaces` } });
    expect(viaReferer.status).toBe(201);
    const listed = await t.request('POST', '/api/workspaces', { cookie, body, headers: { origin: 'https://alm.bank.internal' } });
    expect(listed.status).toBe(201);
    expect((await t.request('GET', '/api/workspaces', { cookie, headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });

  it('bearer requests are exempt', async () => {
    const { token } = await t.login('dora', PASSWORD);
    const res = await t.request('POST', '/api/workspaces', { token, body: { name: 'Scripted' }, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(201);
  });

  it('a login from a foreign page is refused (login CSRF)', async () => {
    const res = await t.request('POST', '/api/auth/login', { body: { username: 'dora', password: PASSWORD }, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });
});

describe('brute-force brake', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.createUser('erin', PASSWORD);
  });
  afterAll(() => t.stop());

  const attempt = (username: string, password: string, ip?: string) =>
    t.request('POST', '/api/auth/login', { body: { username, password }, ...(ip ? { headers: { 'x-forwarded-for': ip } } : {}) });

  it('refuses the 11th bad login within a minute, even with the right password', async () => {
    for (let i = 0; i < 10; i += 1) expect((await attempt('erin', `wrong-password-${i}`)).status).toBe(401);
    const locked = await attempt('erin', PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
    expect(locked.body.error.message).toMatch(/^Too many login attempts; try again in (\d+) seconds\.$/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(50);
  });

  it('per IP: also locks the address after 10 failures spread over many usernames', async () => {
    // The first test used up this address's budget too: every username is now refused from it.
    const res = await attempt('someone-else', 'whatever-password');
    expect(res.status).toBe(429);
  });
});

describe('brute-force brake for unknown users and per IP (trusted proxy)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { trustProxy: true } });
    await t.createUser('frank', PASSWORD);
  });
  afterAll(() => t.stop());

  const attempt = (username: string, password: string, ip: string) =>
    t.request('POST', '/api/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': ip } });

  it('an unknown username locks with the same answer as a real one', async () => {
    for (let i = 0; i < 10; i += 1) await attempt('ghost', 'wrong-password', `10.0.0.${i + 1}`);
    const ghost = await attempt('ghost', 'wrong-password', '10.0.1.1');
    for (let i = 0; i < 10; i += 1) await attempt('frank', 'wrong-password', `10.0.2.${i + 1}`);
    const real = await attempt('frank', 'wrong-password', '10.0.1.2');
    expect(ghost.status).toBe(429);
    expect(real.status).toBe(429);
    expect(ghost.body.error.code).toBe(real.body.error.code);
    expect(ghost.body.error.message.replace(/\d+/, 'N')).toBe(real.body.error.message.replace(/\d+/, 'N'));
  });

  it('one address guessing across usernames is locked; other addresses are not', async () => {
    for (let i = 0; i < 10; i += 1) expect((await attempt(`user${i}`, 'wrong-password', '192.0.2.7')).status).toBe(401);
    expect((await attempt('user99', 'wrong-password', '192.0.2.7')).status).toBe(429);
    const elsewhere = await attempt('frank', 'wrong-password', '192.0.2.8');
    expect(elsewhere.status).toBe(429); // frank is still locked from the previous test
    expect((await attempt('nobody', 'wrong-password', '192.0.2.9')).status).toBe(401);
  });

  it('only the address the proxy appended counts: a forged X-Forwarded-For prefix does not evade the lock', async () => {
    for (let i = 0; i < 10; i += 1) {
      expect((await attempt(`spoofer${i}`, 'wrong-password', `203.0.113.${i + 1}, 192.0.2.50`)).status).toBe(401);
    }
    expect((await attempt('spoofer99', 'wrong-password', '203.0.113.200, 192.0.2.50')).status).toBe(429);
  });

  it('marks the cookie Secure when a trusted proxy says the request came over TLS', async () => {
    const res = await t.request('POST', '/api/auth/login', {
      body: { username: 'admin', password: t.admin.password },
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()[0]).toMatch(/; Secure$/);
  });
});
