/**
 * The route walk: every route of the server's routing table (read from the running server, not a
 * hand list, so a route added later is walked too) × {no credentials, a member, an admin} × every
 * spelling an attacker would try (exact, upper-cased, mixed case, an inner segment's case, trailing
 * slash, double slashes, percent-encoded letters) and a method the path does not have. The exact
 * path answers what the route's access requirement says; every other spelling is a 404 that
 * reaches no handler; a wrong method is a 401 without credentials and a 405 with them. Users, workspaces and
 * files are compared before and after each attempt: a refused attempt changes nothing.
 * (Breaches 1 and 2 were `POST /API/admin/users` and `PATCH /API/admin/users/<id>`.)
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import type { RouteDef } from './route-table.ts';

const PASSWORD = 'route-walk-password';

let t: TestServer;
let member: { cookie: string; id: string };
let admin: { token: string };
let wid: string;

/** Sample values for route params; a route with a param not listed here fails the walk (add one). */
function sampleParams(): Record<string, string> {
  return {
    wid,
    did: crypto.randomUUID(),
    rid: crypto.randomUUID(),
    nid: crypto.randomUUID(),
    userId: member.id,
    username: 'olaf',
    name: 'monthly',
    table: 'eve',
    eid: crypto.randomUUID(),
    cellId: 'by_product',
    version: '1',
  };
}

interface Spelling {
  name: string;
  /** How the path is spelt, from its static segments and filled-in params. */
  spell(segments: { text: string; isParam: boolean }[]): string;
  /** Refused before any guard (404 for everyone), or only unmatched (401 without credentials, 404 with). */
  refusal: 'not_canonical' | 'no_route';
}

const path = (segments: { text: string }[]) => `/${segments.map((s) => s.text).join('/')}`;
const mapStatic = (segments: { text: string; isParam: boolean }[], f: (text: string, index: number) => string) =>
  segments.map((s, i) => (s.isParam ? s : { ...s, text: f(s.text, i) }));
const lastStatic = (segments: { isParam: boolean }[]) => segments.map((s) => !s.isParam).lastIndexOf(true);
const alternate = (text: string) => [...text].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
const encodeFirst = (text: string) => `%${text.charCodeAt(0).toString(16).padStart(2, '0')}${text.slice(1)}`;

const SPELLINGS: Spelling[] = [
  { name: 'upper-cased', refusal: 'not_canonical', spell: (s) => path(mapStatic(s, (x) => x.toUpperCase())) },
  { name: 'mixed case', refusal: 'not_canonical', spell: (s) => path(mapStatic(s, alternate)) },
  { name: 'capitalised /Api prefix', refusal: 'not_canonical', spell: (s) => path(mapStatic(s, (x, i) => (i === 0 ? 'Api' : x))) },
  { name: 'inner segment upper-cased', refusal: 'no_route', spell: (s) => path(mapStatic(s, (x, i) => (i === lastStatic(s) && i > 0 ? x.toUpperCase() : x))) },
  { name: 'trailing slash', refusal: 'not_canonical', spell: (s) => `${path(s)}/` },
  { name: 'double slash inside', refusal: 'not_canonical', spell: (s) => path(s).replace(/\/(?=[^/]*$)/, '//') },
  { name: 'leading double slash', refusal: 'not_canonical', spell: (s) => `/${path(s)}` },
  { name: 'percent-encoded letter', refusal: 'not_canonical', spell: (s) => path(mapStatic(s, (x, i) => (i === lastStatic(s) ? encodeFirst(x) : x))) },
  { name: 'percent-encoded prefix', refusal: 'not_canonical', spell: (s) => path(mapStatic(s, (x, i) => (i === 0 ? encodeFirst(x) : x))) },
];

function segmentsOf(route: RouteDef): { text: string; isParam: boolean }[] {
  const params = sampleParams();
  return route.path.slice(1).split('/').map((segment) => {
    if (!segment.startsWith(':')) return { text: segment, isParam: false };
    const value = params[segment.slice(1)];
    if (value === undefined) throw new Error(`The route walk has no sample value for ${segment} (${route.method} ${route.path}); add one.`);
    return { text: encodeURIComponent(value), isParam: true };
  });
}

type Caller = 'anonymous' | 'member' | 'admin';

async function send(route: RouteDef, url: string, caller: Caller, credentials: { cookie?: string; token?: string } = {}) {
  const auth = caller === 'anonymous' ? {} : caller === 'member' ? { cookie: credentials.cookie ?? member.cookie } : { token: credentials.token ?? admin.token };
  let body: unknown;
  if (route.body.kind === 'json') body = {};
  if (route.body.kind === 'multipart') {
    const form = new FormData();
    form.set('name', 'walk');
    body = form;
  }
  return t.request(route.method, url, { ...auth, ...(body === undefined ? {} : { body }) });
}

/** What must not change: users (with password hashes and roles), workspace rows, and the files. */
function state(): string {
  const db = t.deps.db;
  const rows = [
    db.prepare('SELECT id, username, role, disabled, password_hash, token_version FROM users ORDER BY id').all(),
    db.prepare('SELECT * FROM workspaces ORDER BY id').all(),
    db.prepare('SELECT * FROM workspace_members ORDER BY workspace_id, user_id').all(),
    db.prepare('SELECT id FROM datasets ORDER BY id').all(),
    db.prepare('SELECT id, version FROM notebooks ORDER BY id').all(),
    db.prepare('SELECT workspace_id, name FROM column_mappings ORDER BY workspace_id, name').all(),
  ];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const s = statSync(full);
      files.push(`${relative(t.dataDir, full)} ${s.isDirectory() ? 'dir' : s.size}`);
      if (s.isDirectory()) walk(full);
    }
  };
  walk(join(t.dataDir, 'workspaces'));
  return createHash('sha256').update(JSON.stringify({ rows, files })).digest('hex');
}

beforeAll(async () => {
  t = await startTestServer();
  const mia = await t.createUser('mia', PASSWORD);
  await t.createUser('olaf', PASSWORD);
  const miaSession = await t.login('mia', PASSWORD);
  member = { cookie: miaSession.cookie, id: mia.id };
  admin = { token: (await t.login('admin', t.admin.password)).token };
  // A workspace neither the member nor the admin belongs to: workspace routes must answer 404 to both.
  const olaf = await t.login('olaf', PASSWORD);
  wid = (await t.request('POST', '/api/workspaces', { token: olaf.token, body: { name: 'Olaf only' } })).body.workspace.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('the route walk', () => {
  it('every route declares its access, and the table holds every API route', () => {
    const routes = t.routes.routes;
    expect(routes.length).toBeGreaterThanOrEqual(34);
    for (const route of routes) expect(['public', 'authenticated', 'admin', 'workspace']).toContain(route.access.kind);
    const publicRoutes = routes.filter((r) => r.access.kind === 'public').map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes.sort()).toEqual(['GET /api/health', 'POST /api/auth/login']);
    expect(routes.filter((r) => r.path.startsWith('/api/admin/')).every((r) => r.access.kind === 'admin')).toBe(true);
  });

  it('walks every route × caller × spelling: the exact path gets its guard, every other spelling a 404 that changes nothing', async () => {
    const routes = t.routes.routes;
    const failures: string[] = [];
    let attempts = 0;
    const before = state();
    for (const route of routes) {
      const segments = segmentsOf(route);
      const exact = path(segments);
      // Logging out ends the credential it came with: that route gets fresh ones for its exact path.
      const endsSession = route.path === '/api/auth/logout';
      for (const caller of ['anonymous', 'member', 'admin'] as const) {
        const fresh = endsSession && caller !== 'anonymous' ? await freshCredentials(caller) : {};
        const res = await send(route, exact, caller, fresh);
        attempts += 1;
        const problem = checkExact(route, caller, res);
        if (problem) failures.push(`${route.method} ${exact} as ${caller}: ${problem}`);
        // A method the path does not have: still behind sign-in, then 405 naming the ones it has.
        const other = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).find((m) => !routes.some((r) => r.path === route.path && r.method === m));
        if (other) {
          const stateBefore = state();
          const wrong = await t.request(other, exact, caller === 'anonymous' ? {} : caller === 'member' ? { cookie: member.cookie } : { token: admin.token });
          attempts += 1;
          const expected = caller === 'anonymous' ? 401 : 405;
          if (wrong.status !== expected) failures.push(`${other} ${exact} (wrong method) as ${caller}: ${wrong.status}, expected ${expected}`);
          if (state() !== stateBefore) failures.push(`${other} ${exact} (wrong method) as ${caller} changed users, workspaces or files`);
        }
        for (const spelling of SPELLINGS) {
          const url = spelling.spell(segments);
          if (url === exact) continue;
          const stateBefore = state();
          const variant = await send(route, url, caller);
          attempts += 1;
          const expected = spelling.refusal === 'no_route' && caller === 'anonymous' ? 401 : 404;
          if (variant.status !== expected) failures.push(`${route.method} ${url} (${spelling.name}) as ${caller}: ${variant.status}, expected ${expected}`);
          else if (expected === 404 && !String(variant.body?.error?.message).startsWith('No route for')) failures.push(`${route.method} ${url} (${spelling.name}) as ${caller}: ${variant.body?.error?.message}`);
          if (state() !== stateBefore) failures.push(`${route.method} ${url} (${spelling.name}) as ${caller} changed users, workspaces or files`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(state()).toBe(before);
    // Every route × 3 callers × (exact + a wrong method + 9 spellings, less spellings equal to the exact path).
    expect(attempts).toBeGreaterThanOrEqual(routes.length * 3 * 10);
    console.info(`route walk: ${routes.length} routes, ${attempts} attempts`);
    // The server still answers, and the member is still only a member.
    expect((await t.request('GET', '/api/health')).status).toBe(200);
    expect(t.deps.db.prepare("SELECT role FROM users WHERE username = 'mia'").pluck().get()).toBe('member');
    expect(t.deps.db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(3);
  });
});

async function freshCredentials(caller: 'member' | 'admin'): Promise<{ cookie?: string; token?: string }> {
  if (caller === 'member') return { cookie: (await t.login('mia', PASSWORD)).cookie };
  return { token: (await t.login('admin', t.admin.password)).token };
}

/** The exact path: null when the answer is what the route's access requirement says, else why not. */
function checkExact(route: RouteDef, caller: Caller, res: { status: number; body: any }): string | null {
  const code = res.body?.error?.code;
  const reachedHandler = res.status < 500 && ![401, 403, 404, 405, 415].includes(res.status);
  const access = route.access.kind;
  if (access === 'public') return reachedHandler ? null : `${res.status} ${code}, expected the route's own answer`;
  if (caller === 'anonymous') return res.status === 401 && code === 'unauthorized' ? null : `${res.status} ${code}, expected 401`;
  if (access === 'authenticated') return reachedHandler ? null : `${res.status} ${code}, expected the route's own answer`;
  if (access === 'admin') {
    if (caller === 'member') return res.status === 403 && code === 'forbidden' ? null : `${res.status} ${code}, expected 403`;
    return reachedHandler ? null : `${res.status} ${code}, expected the route's own answer`;
  }
  // Workspace routes: neither caller belongs to the workspace, and site admins get nothing extra.
  return res.status === 404 && res.body?.error?.message === 'Workspace not found.' ? null : `${res.status} ${JSON.stringify(res.body)}, expected 404 Workspace not found.`;
}
