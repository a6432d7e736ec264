/**
 * ALMREADY_PUBLIC_URL: behind a proxy, the origin users reach the server at is a setting, and the
 * CSRF origin check compares browsers' Origin with it instead of the request's Host.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parsePublicUrl } from '../config.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

const PASSWORD = 'public-url-password';
const PUBLIC = 'https://alm.bank.internal:8443';

describe('ALMREADY_PUBLIC_URL in the configuration', () => {
  it('is kept as an origin: trailing slash dropped, default port dropped, host lower-cased', () => {
    expect(parsePublicUrl('https://ALM.bank.internal:8443/')).toBe('https://alm.bank.internal:8443');
    expect(parsePublicUrl('https://alm.bank.internal:443')).toBe('https://alm.bank.internal');
    const dir = mkdtempSync(join(tmpdir(), 'almready-public-url-'));
    try {
      expect(loadConfig({ ALMREADY_DATA_DIR: dir, ALMREADY_PUBLIC_URL: PUBLIC }).publicUrl).toBe(PUBLIC);
      expect(loadConfig({ ALMREADY_DATA_DIR: dir, ALMREADY_PUBLIC_URL: '' }).publicUrl).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not an origin, saying what to write', () => {
    expect(() => parsePublicUrl('alm.bank.internal')).toThrow(ConfigError);
    expect(() => parsePublicUrl('alm.bank.internal')).toThrow('ALMREADY_PUBLIC_URL "alm.bank.internal" is not a URL like https://alm.bank.internal');
    expect(() => parsePublicUrl('https://alm.bank.internal/almready')).toThrow('must be scheme, host and port only, with no path, query or user');
    expect(() => parsePublicUrl('ftp://alm.bank.internal')).toThrow('must start with https://');
  });
});

describe('the origin check with a public URL', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { publicUrl: PUBLIC } });
    await t.createUser('pia', PASSWORD);
  });
  afterAll(() => t.stop());

  it('accepts logins and cookie writes from the public URL only, not from the request\'s own Host', async () => {
    const viaHost = await t.request('POST', '/api/auth/login', { body: { username: 'pia', password: PASSWORD }, headers: { origin: t.url } });
    expect(viaHost.status).toBe(403);
    expect(viaHost.body.error).toEqual({ code: 'csrf_origin_mismatch', message: `Requests from ${t.url} are not allowed to change data here.` });
    const login = await t.request('POST', '/api/auth/login', { body: { username: 'pia', password: PASSWORD }, headers: { origin: PUBLIC } });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const foreign = await t.request('POST', '/api/workspaces', { cookie, body: { name: 'From Host' }, headers: { origin: t.url } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('csrf_origin_mismatch');
    const created = await t.request('POST', '/api/workspaces', { cookie, body: { name: 'From public URL' }, headers: { origin: PUBLIC } });
    expect(created.status).toBe(201);
    const list = await t.request('GET', '/api/workspaces', { cookie });
    expect(list.body.workspaces.map((w: { name: string }) => w.name)).toEqual(['From public URL']);
  });
});
