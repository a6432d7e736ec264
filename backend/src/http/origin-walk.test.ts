/**
 * CSRF from a foreign page, however the path is spelt: every state-changing route of the routing
 * table, called with a signed-in member's cookie and a foreign `Origin` (a real site, or the
 * opaque `null` of a sandboxed frame), answers 403 at its exact path and 404 at any other
 * spelling; nothing changes and the session survives. Breach 7 was `POST /API/auth/logout` from
 * a foreign origin ending the session; breach 8 a login with `Origin: null` getting a session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieFrom, startTestServer, type TestServer } from '../testing/server.ts';
import type { RouteDef } from './route-table.ts';

const PASSWORD = 'origin-walk-password';
const FOREIGN = ['https://evil.example', 'null'] as const;

let t: TestServer;
let cookie: string;
let wid: string;

function fill(route: RouteDef): string {
  const params: Record<string, string> = {
    wid, did: crypto.randomUUID(), rid: crypto.randomUUID(), nid: crypto.randomUUID(), userId: crypto.randomUUID(), username: 'admin', name: 'monthly', table: 'eve',
    eid: crypto.randomUUID(), cellId: 'by_product',
  };
  return route.path.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No sample value for :${name} (${route.method} ${route.path}); add one.`);
    return value;
  });
}

/** The same path spelt as an attacker would: each one must reach no route. */
function respellings(path: string): string[] {
  return [path.toUpperCase(), path.replace('/api/', '/Api/'), `${path}/`, path.replace('/api/', '/api//'), path.replace('/api/', '/%61pi/')];
}

function counts(): string {
  const db = t.deps.db;
  return JSON.stringify([
    db.prepare('SELECT id, username, role, disabled, password_hash, token_version FROM users ORDER BY id').all(),
    db.prepare('SELECT count(*) FROM workspaces').pluck().get(),
    db.prepare('SELECT count(*) FROM workspace_members').pluck().get(),
    db.prepare('SELECT count(*) FROM notebooks').pluck().get(),
    db.prepare('SELECT count(*) FROM column_mappings').pluck().get(),
  ]);
}

beforeAll(async () => {
  t = await startTestServer();
  await t.createUser('vera', PASSWORD);
  const vera = await t.login('vera', PASSWORD);
  cookie = vera.cookie;
  // Vera owns this workspace, so the workspace guard would let her through: only the Origin check stands in the way.
  wid = (await t.request('POST', '/api/workspaces', { token: vera.token, body: { name: 'Vera' } })).body.workspace.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('the Origin check on every state-changing route, however spelt', () => {
  it('a foreign or null Origin with a session cookie: 403 at the exact path, 404 at every other spelling, nothing changed', async () => {
    const routes = t.routes.routes.filter((r) => r.method !== 'GET');
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const before = counts();
    const failures: string[] = [];
    let attempts = 0;
    for (const route of routes) {
      const exact = fill(route);
      for (const origin of FOREIGN) {
        const body = route.body.kind === 'json' ? { body: {} } : {};
        const res = await t.request(route.method, exact, { cookie, ...body, headers: { origin } });
        attempts += 1;
        if (res.status !== 403 || res.body.error.code !== 'csrf_origin_mismatch') failures.push(`${route.method} ${exact} from ${origin}: ${res.status} ${JSON.stringify(res.body)}`);
        for (const url of respellings(exact)) {
          const other = await t.request(route.method, url, { cookie, ...body, headers: { origin } });
          attempts += 1;
          if (other.status !== 404) failures.push(`${route.method} ${url} from ${origin}: ${other.status}, expected 404`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(counts()).toBe(before);
    expect(attempts).toBe(routes.length * FOREIGN.length * 6);
    console.info(`origin walk: ${routes.length} state-changing routes, ${attempts} attempts`);
    // The session survived every forged logout.
    const me = await t.request('GET', '/api/auth/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('vera');
  });

  it('breach 7: a forced logout from a foreign page, in any spelling, leaves the session alive and writes no audit row', async () => {
    const auditBefore = t.deps.db.prepare('SELECT count(*) FROM audit_events').pluck().get();
    for (const path of ['/api/auth/logout', '/API/auth/logout', '/Api/Auth/Logout', '/api/auth/logout/']) {
      const res = await t.request('POST', path, { cookie, headers: { origin: 'https://evil.example' } });
      expect(res.status, path).toBe(path === '/api/auth/logout' ? 403 : 404);
      expect(res.headers.getSetCookie(), path).toEqual([]);
    }
    expect(t.deps.db.prepare('SELECT count(*) FROM audit_events').pluck().get()).toBe(auditBefore);
    expect((await t.request('GET', '/api/auth/me', { cookie })).status).toBe(200);
    // Our own page still logs out.
    const own = await t.login('vera', PASSWORD);
    expect((await t.request('POST', '/api/auth/logout', { cookie: own.cookie })).status).toBe(204);
    expect((await t.request('GET', '/api/auth/me', { cookie: own.cookie })).status).toBe(401);
  });

  it('breach 8: a login with Origin: null (a sandboxed frame) gets no session, with or without a Referer', async () => {
    const sessionsBefore = t.deps.db.prepare('SELECT count(*) FROM auth_sessions').pluck().get();
    const cases: Record<string, string>[] = [{ origin: 'null' }, { origin: 'null', referer: `${t.url}/login` }, { origin: 'https://evil.example' }];
    for (const headers of cases) {
      const res = await t.request('POST', '/api/auth/login', { body: { username: 'vera', password: PASSWORD }, headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error.code).toBe('csrf_origin_mismatch');
      expect(sessionCookieFrom(res.headers)).toBeNull();
      expect(res.body.token).toBeUndefined();
    }
    expect(t.deps.db.prepare('SELECT count(*) FROM auth_sessions').pluck().get()).toBe(sessionsBefore);
    const nullRes = await t.request('POST', '/api/auth/login', { body: { username: 'vera', password: PASSWORD }, headers: { origin: 'null' } });
    expect(nullRes.body.error.message).toBe('Requests from an opaque origin (Origin: null, e.g. a sandboxed frame) are not allowed to change data here.');
    // A script (no Origin at all) and our own page still sign in.
    expect((await t.request('POST', '/api/auth/login', { body: { username: 'vera', password: PASSWORD } })).status).toBe(200);
    expect((await t.request('POST', '/api/auth/login', { body: { username: 'vera', password: PASSWORD }, headers: { origin: t.url } })).status).toBe(200);
  });

  it('a cookie request with Origin: null is refused on data routes too', async () => {
    const res = await t.request('POST', '/api/workspaces', { cookie, body: { name: 'From a sandbox' }, headers: { origin: 'null', referer: `${t.url}/` } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_origin_mismatch');
    expect(t.deps.db.prepare("SELECT count(*) FROM workspaces WHERE name = 'From a sandbox'").pluck().get()).toBe(0);
  });
});
