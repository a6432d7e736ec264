/**
 * The server core's own tables. Workspace tables (workspaces/schema.ts) reference `users(id)`,
 * so these run first. Migrations are append-only: never edit one that has shipped.
 */
import type { Migration } from '../workspaces/schema.ts';

export const coreMigrations: Migration[] = [
  {
    id: 'core-001-users-sessions-audit',
    sql: `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  -- bumped on password change or disable: bearer tokens carry it, stale ones stop working
  token_version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- Lucia's session table; id is the SHA-256 (hex) of the cookie token, never the token itself
CREATE TABLE auth_sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions(user_id);
CREATE INDEX auth_sessions_expires ON auth_sessions(expires_at);
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  user_id TEXT,
  action TEXT NOT NULL,
  workspace_id TEXT,
  detail_json TEXT,
  ip TEXT
);
CREATE INDEX audit_events_user ON audit_events(user_id);
`,
  },
  {
    id: 'core-002-revoked-bearer-tokens',
    sql: `
-- Bearer tokens ended by POST /api/auth/logout before they expire (jti = the token's id claim);
-- a row is kept until the token would have expired anyway, then pruned
CREATE TABLE revoked_bearer_tokens (
  jti TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE INDEX revoked_bearer_tokens_expires ON revoked_bearer_tokens(expires_at);
`,
  },
  {
    id: 'core-003-notebook-outputs',
    sql: `
-- Notebook cell outputs by content key (notebooks/src/runtime/cache-key.ts), one row per workspace
-- and key; the output itself is the file <workspace>/outputs/<key[0..2]>/<key>.json, written
-- (atomically) before its row, so a row never points at a missing or torn file. workspaces(id)
-- is created by the workspace migrations that follow; SQLite checks the reference on writes only.
CREATE TABLE notebook_outputs (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  cache_key TEXT NOT NULL CHECK (length(cache_key) = 64),
  cell_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  duration_ms REAL NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, cache_key)
);
`,
  },
  {
    id: 'core-004-notebook-executions',
    sql: `
-- Notebook executions and their event streams (notebooks/src/runtime/events.ts), written as the
-- events happen, so another server process — or this one after a restart — shows the same states.
CREATE TABLE notebook_executions (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  notebook_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  started_by TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled'))
);
CREATE INDEX notebook_executions_notebook ON notebook_executions(workspace_id, notebook_id, version, started_at);
CREATE TABLE notebook_execution_events (
  execution_id TEXT NOT NULL REFERENCES notebook_executions(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  event_json TEXT NOT NULL,
  PRIMARY KEY (execution_id, seq)
);
`,
  },
  {
    // The audit log names a deleted workspace from its own workspace.* events (audit-log.ts).
    id: 'core-005-audit-by-workspace',
    sql: `CREATE INDEX audit_events_workspace ON audit_events(workspace_id, id);`,
  },
  {
    id: 'core-006-notebook-publications',
    sql: `
-- A publication: one saved version of a notebook run on one dataset and frozen with its outputs.
-- The outputs themselves, with the first rows of every table they show, are the immutable file
-- <workspace>/publications/<id>.json, written (atomically) before this row; the row says where they
-- came from: dataset id and content hash, engine version, input values, each cell's output key.
-- seq orders a notebook's publications (the highest is the one view members read).
CREATE TABLE notebook_publications (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  dataset_id TEXT,
  dataset_name TEXT,
  dataset_as_of TEXT,
  dataset_hash TEXT,
  engine_version TEXT NOT NULL,
  parameters_json TEXT NOT NULL,
  cells_json TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  ran_at TEXT NOT NULL,
  run_ms REAL NOT NULL,
  published_by TEXT NOT NULL,
  published_at TEXT NOT NULL,
  UNIQUE (notebook_id, seq)
);
CREATE INDEX notebook_publications_notebook ON notebook_publications(workspace_id, notebook_id, seq);
-- Output keys a publication holds: the output store never drops their rows (output-store.ts).
CREATE TABLE notebook_publication_outputs (
  publication_id TEXT NOT NULL REFERENCES notebook_publications(id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL,
  cache_key TEXT NOT NULL,
  PRIMARY KEY (workspace_id, cache_key, publication_id)
);
`,
  },
];
