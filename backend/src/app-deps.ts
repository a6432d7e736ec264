/**
 * The contract between the server core and the feature routers (workspaces, runs, datasets).
 * Routers receive one AppDeps object and reach the database, logs, audit trail and query
 * service only through it, so tests start a real server and swap nothing.
 */
import type Database from 'better-sqlite3';
import type pino from 'pino';
import type { Config } from './config.ts';
import type { AuditLog } from './audit/audit-log.ts';
import type { WorkspaceQueryService } from './data/query/index.ts';

/** `ctx.state.user` on every route behind the auth gate. */
export interface AuthUser {
  id: string;
  username: string;
  role: 'admin' | 'member';
}

import type { JobPool } from './workers/pool.ts';

export interface AppDeps {
  config: Config;
  db: Database.Database;
  logger: pino.Logger;
  audit: AuditLog;
  queries: WorkspaceQueryService;
  runs?: { close(): Promise<void> };
  /** Worker threads for long jobs of every kind (workers/pool.ts); runs register kind `run`. */
  jobs?: JobPool;
}
