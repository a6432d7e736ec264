/**
 * A real server for tests: real HTTP on an ephemeral port, a fresh data dir, real SQLite. Use
 * it from any backend or e2e test:
 *
 *   const t = await startTestServer();
 *   await t.createUser('alice', 'alice-password-1');
 *   const { cookie, token } = await t.login('alice', 'alice-password-1');
 *   const res = await t.request('POST', '/api/workspaces', { token, body: { name: 'ALM' } });
 *   await t.stop();
 *
 * Cookie requests that change state get this server's Origin automatically (as a browser
 * would send), unless `headers.origin` is given.
 */
import { httpRequest, type RequestOptions, type TestResponse } from './http-client.ts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDeps, AuthUser } from '../app-deps.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import { DEFAULT_UPLOAD_IDLE_MS, DEFAULT_UPLOADS_PER_USER, DEFAULT_ZIP_LIMITS, limitsFromEnv, type Config } from '../config.ts';
import type { RouteTable } from '../http/route-table.ts';
import { startServer } from '../server.ts';
import { createUser as storeCreateUser, toAuthUser } from '../users/user-store.ts';

export const TEST_ADMIN_PASSWORD = 'admin-password-for-tests';

export type { RequestOptions, TestResponse } from './http-client.ts';

export interface TestServer {
  url: string;
  dataDir: string;
  deps: AppDeps;
  /** The server's routing table: every route with its declared access and body. */
  routes: RouteTable;
  /** The first admin (`admin` / TEST_ADMIN_PASSWORD unless env.adminPassword says otherwise). */
  admin: { username: string; password: string };
  /** Lines the server printed (admin password, "running at"). */
  printed: string[];
  createUser(username: string, password: string, role?: AuthUser['role']): Promise<AuthUser>;
  login(username: string, password: string): Promise<{ cookie: string; token: string; user: AuthUser }>;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  env?: Partial<Config>;
  /** Create the demo workspace for the admin (default false). */
  demo?: boolean;
  /** Run the new demo's notebooks in the background as a real start does (default false: tests that need them say so). */
  demoNotebooks?: boolean;
  throttle?: LoginThrottle;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.env?.dataDir ?? mkdtempSync(join(tmpdir(), 'almready-test-'));
  const config: Config = {
    dataDir,
    port: 0,
    host: '127.0.0.1',
    corsOrigins: [],
    sessionTtlDays: 30,
    jwtSecret: randomBytes(32).toString('base64url'),
    adminPassword: TEST_ADMIN_PASSWORD,
    maxUploadMb: 512,
    workspaceTtlDays: null,
    trustProxy: false,
    logLevel: (process.env.ALMREADY_TEST_LOG_LEVEL as Config['logLevel'] | undefined) ?? 'silent',
    staticDir: null,
    zipLimits: DEFAULT_ZIP_LIMITS,
    uploadsPerUser: DEFAULT_UPLOADS_PER_USER,
    uploadIdleMs: DEFAULT_UPLOAD_IDLE_MS,
    // Sizes from ALMREADY_* variables, as a real start reads them (tests set a few before starting);
    // nothing started ahead unless a test asks: most run no ts cell and no engine run
    limits: limitsFromEnv({ ALMREADY_TS_SANDBOXES_READY: '0', ALMREADY_RUN_WORKERS_READY: '0', ...process.env }),
    ...options.env,
  };
  const printed: string[] = [];
  const server = await startServer(config, {
    demo: options.demo ?? false,
    demoNotebooks: options.demoNotebooks ?? false,
    print: (line) => printed.push(line),
    shutdownGraceMs: 2_000,
    ...(options.throttle ? { throttle: options.throttle } : {}),
  });
  const url = server.url;

  const request = (method: string, path: string, opts: RequestOptions = {}): Promise<TestResponse> => httpRequest(url, method, path, opts);

  return {
    url,
    dataDir,
    deps: server.deps,
    routes: server.routes,
    admin: { username: 'admin', password: config.adminPassword ?? '' },
    printed,
    async createUser(username, password, role = 'member') {
      const result = await storeCreateUser(server.deps.db, { username, password, role });
      if (!result.ok) throw new Error(result.message);
      return toAuthUser(result.user);
    },
    async login(username, password) {
      const res = await request('POST', '/api/auth/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      const cookie = sessionCookieFrom(res.headers);
      if (!cookie) throw new Error('login answered without a session cookie');
      return { cookie, token: res.body.token, user: res.body.user };
    },
    request,
    async stop() {
      await server.close();
      if (!options.env?.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `almready_session=<token>` from a response's Set-Cookie headers, or null. */
export function sessionCookieFrom(headers: Headers): string | null {
  for (const line of headers.getSetCookie()) {
    const match = /^almready_session=([^;]*)/.exec(line);
    if (match && match[1]) return `almready_session=${match[1]}`;
  }
  return null;
}
