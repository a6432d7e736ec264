/** Deny by default at declaration time: a route without an access requirement, or with a path of more than one spelling, is never registered. */
import { describe, expect, it } from 'vitest';
import { isCanonicalPath } from './canonical-path.ts';
import { loginBodySchema, runRequestSchema } from '@almready/contracts';
import { ADMIN, PUBLIC, RouteTable, SIGNED_IN, workspaceRole, type RouteOptions } from './route-table.ts';

const handler = () => {};

describe('RouteTable', () => {
  it('refuses a route that declares no access requirement, or an unknown one', () => {
    expect(() => new RouteTable().post('/users', {} as RouteOptions, handler)).toThrow('POST /users declares no access requirement; every route must say public, signed-in, admin or a workspace role.');
    expect(() => new RouteTable().get('/users', undefined as unknown as RouteOptions, handler)).toThrow(/declares no access requirement/);
    expect(() => new RouteTable().get('/users', { access: { kind: 'everyone' } } as unknown as RouteOptions, handler)).toThrow(/declares no access requirement/);
  });

  it('refuses paths that are not canonical, and a route declared twice', () => {
    for (const path of ['/Users', '/users/', '//users', 'users', '/users//x', '/us%65rs', '/a b']) {
      expect(() => new RouteTable().get(path, { access: SIGNED_IN }, handler), path).toThrow(/is not canonical/);
    }
    const table = new RouteTable().get('/users', { access: ADMIN }, handler);
    expect(() => table.get('/users', { access: PUBLIC }, handler)).toThrow('GET /users is declared twice.');
    expect(() => new RouteTable().mount('/api', table).mount('/api', table)).toThrow('GET /api/users is declared twice.');
  });

  it('keeps access and body with each route through mounting; bodies default by method', () => {
    const inner = new RouteTable()
      .get('/', { access: SIGNED_IN }, handler)
      .post('/:wid/runs', { access: workspaceRole('explore') }, handler)
      .post('/:wid/datasets', { access: workspaceRole('edit'), body: 'multipart' }, handler)
      .put('/:wid/notebooks/:nid', { access: workspaceRole('edit'), limitBytes: 16 }, handler)
      .delete('/:wid', { access: workspaceRole('owner') }, handler);
    const routes = new RouteTable().mount('/api/workspaces', inner).routes.map((r) => [r.method, r.path, r.access, r.body]);
    expect(routes).toEqual([
      ['GET', '/api/workspaces', { kind: 'authenticated' }, { kind: 'none' }],
      ['POST', '/api/workspaces/:wid/runs', { kind: 'workspace', role: 'explore' }, { kind: 'json', limitBytes: 1024 * 1024 }],
      ['POST', '/api/workspaces/:wid/datasets', { kind: 'workspace', role: 'edit' }, { kind: 'multipart' }],
      ['PUT', '/api/workspaces/:wid/notebooks/:nid', { kind: 'workspace', role: 'edit' }, { kind: 'json', limitBytes: 16 }],
      ['DELETE', '/api/workspaces/:wid', { kind: 'workspace', role: 'owner' }, { kind: 'none' }],
    ]);
  });
});

describe('RouteTable body schemas', () => {
  it('keeps a JSON route\'s contract schema with it, and refuses one on a route without a JSON body', () => {
    const table = new RouteTable()
      .post('/login', { access: PUBLIC, schema: loginBodySchema }, handler)
      .post('/:wid/runs/:rid/cancel', { access: workspaceRole('explore'), body: 'none' }, handler);
    const mounted = new RouteTable().mount('/api', table).routes;
    expect(mounted.map((r) => [r.path, r.schema])).toEqual([['/api/login', loginBodySchema], ['/api/:wid/runs/:rid/cancel', undefined]]);
    expect(() => new RouteTable().post('/:wid/datasets', { access: workspaceRole('edit'), body: 'multipart', schema: runRequestSchema }, handler))
      .toThrow('POST /:wid/datasets declares a body schema but takes no JSON body.');
  });
});

describe('isCanonicalPath', () => {
  it('accepts the one spelling of API and SPA paths, with escapes only where a character needs one', () => {
    for (const path of ['/', '/api/health', '/api/workspaces/6b1e0f7e-2c1d-4a8e-9f00-1c2d3e4f5a6b/mappings/monthly%20export', '/api/x/a%2Fb', '/workspaces/123/notebooks', '/workspaces/', '/assets/index-3f2a1c.js', '/api/x/%C3%A9t%C3%A9']) {
      expect(isCanonicalPath(path), path).toBe(true);
    }
  });

  it('refuses every other spelling', () => {
    for (const path of ['/API/admin/users', '/Api/admin/users', '/aPI', '/api/admin/users/', '/api', '/api//admin/users', '//api/admin/users', '/api/%61dmin/users', '/%61pi/admin/users',
      '/api/admin/%55sers', '/api/./admin', '/api/admin/..', '/%2e%2e/secret', '/api/x%00', '/api/x%zz', '/api/x%4', '/api\\admin', 'api/health', '*']) {
      expect(isCanonicalPath(path), path).toBe(false);
    }
  });
});
