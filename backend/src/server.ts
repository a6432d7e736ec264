/**
 * Starts the whole server: database (migrated), audit log, query and run services, the first
 * admin, the demo workspace, the HTTP listener and housekeeping timers. `close()` shuts down
 * in order: stop accepting, let in-flight requests finish, then runs, DuckDB and SQLite.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pino from 'pino';
import { createApp } from './app.ts';
import type { AppDeps } from './app-deps.ts';
import type { WorkspaceDeps } from './workspaces/deps.ts';
import { notebookExecFor } from './notebook-exec/registry.ts';
import { limitConnectionsPerAddress } from './http/connection-limit.ts';
import type { RouteTable } from './http/route-table.ts';
import type { LoginThrottle } from './auth/login-throttle.ts';
import { generatePassword } from './auth/passwords.ts';
import { httpLimits, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { openServices } from './services.ts';
import { ensureDemoWorkspace, runDemoNotebooks } from './workspaces/demo.ts';
import { purgeExpiredWorkspaces } from './workspaces/retention.ts';
import { createUser, findUserByUsername, listUsers } from './users/user-store.ts';

export interface StartOptions {
  /** Create/refresh the demo workspace for the admin (default true). */
  demo?: boolean;
  /** Run a newly created demo workspace's notebooks in the background once listening (default: config.demoNotebooks, else true). */
  demoNotebooks?: boolean;
  /** Where the one-time admin password and the "running at" line go (default stdout). */
  print?: (line: string) => void;
  logDestination?: pino.DestinationStream;
  throttle?: LoginThrottle;
  /** How long close() waits for in-flight requests before cutting connections. */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  /** The routing table the server answers from (every route with its access requirement). */
  routes: RouteTable;
  close(): Promise<void>;
}

const HOUSEKEEPING_MS = 60 * 60 * 1000;

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = createLogger(config, options.logDestination);
  const deps = openServices(config, logger);
  const { db, queries } = deps;
  // closes what a stopped server left running, before any route is served; starts the warm ts sandboxes
  notebookExecFor(deps as WorkspaceDeps);

  const admin = await ensureAdmin(deps, print);
  const demo = options.demo ?? true ? await ensureDemoWorkspace(deps, admin) : null;

  const { app, sessions, routes } = createApp(deps, options.throttle ? { throttle: options.throttle } : {});
  const limits = httpLimits(config);
  // Node checks these timeouts every connectionsCheckingInterval (30 s by default): check often
  // enough that a short configured timeout holds.
  const server = createServer({ connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 4))) }, app.callback());
  // A whole request must arrive within requestTimeout (long enough for a 512 MB upload over a
  // VPN, not forever: stalled uploads hold temp folders), its headers within headersTimeout;
  // idle keep-alive sockets close after 5 s. Answers may take longer (run event streams).
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  server.keepAliveTimeout = 5_000;
  if (!config.trustProxy) limitConnectionsPerAddress(server, limits.maxConnectionsPerClient);
  await listen(server, config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  const housekeeping = async () => {
    try {
      await sessions.deleteExpired();
      if (config.workspaceTtlDays !== null) {
        await purgeExpiredWorkspaces(deps, new Date());
      }
    } catch (error) {
      logger.error({ err: error }, 'housekeeping failed');
    }
  };
  const timer = setInterval(() => void housekeeping(), HOUSEKEEPING_MS);
  timer.unref();
  void housekeeping();

  logger.info({ url, dataDir: config.dataDir }, 'server started');
  print(`ALMReady is running at ${url}`);

  // A demo workspace made on this start gets its notebooks run in the background, once the server
  // answers: start-up does not wait for them, and a failure is logged, never fatal.
  const demoStop = new AbortController();
  const demoRuns = demo?.created && (options.demoNotebooks ?? config.demoNotebooks ?? true)
    ? runDemoNotebooks(deps as WorkspaceDeps, { workspaceId: demo.workspaceId, ownerId: admin.id }, demoStop.signal)
      .then((runs) => logger.info({ runs }, 'demo notebooks ran'))
      .catch((error: unknown) => logger.error({ err: error }, 'demo notebooks did not run'))
    : Promise.resolve();

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      clearInterval(timer);
      demoStop.abort();
      await stopHttp(server, options.shutdownGraceMs ?? 10_000);
      await (deps as WorkspaceDeps).notebookExec?.close();
      await demoRuns;
      await deps.runs?.close();
      await deps.queries.closeAll();
      db.close();
      logger.info('server stopped');
    })();
    return closing;
  };
  return { url, port, deps, routes, close };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE'
        ? new Error(`Port ${port} is already in use; set ALMREADY_PORT to a free port.`)
        : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

/** Stops accepting, waits for in-flight requests, and after `graceMs` cuts what is left (SSE). */
function stopHttp(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** First start: create `admin`, printing a generated password once (it is not stored anywhere). */
async function ensureAdmin(deps: AppDeps, print: (line: string) => void): Promise<{ id: string; username: string }> {
  const admins = listUsers(deps.db).filter((u) => u.role === 'admin');
  if (admins.length === 0 && !findUserByUsername(deps.db, 'admin')) {
    const password = deps.config.adminPassword ?? generatePassword();
    const created = await createUser(deps.db, { username: 'admin', password, role: 'admin' });
    if (!created.ok) throw new Error(created.message);
    deps.audit.record({ action: 'user.create', userId: created.user.id, detail: { username: 'admin', role: 'admin', firstStart: true } });
    print(deps.config.adminPassword
      ? 'Admin login: admin / (the password in ALMREADY_ADMIN_PASSWORD)'
      : `Admin login: admin / ${password}`);
    return { id: created.user.id, username: created.user.username };
  }
  const named = findUserByUsername(deps.db, 'admin');
  const admin = named?.role === 'admin' ? named : admins.find((u) => !u.disabled) ?? admins[0];
  if (!admin) throw new Error('No admin account exists; create one with `npx almready users add <name> --role admin`.');
  return { id: admin.id, username: admin.username };
}
