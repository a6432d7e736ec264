/**
 * Append-only audit trail in SQLite: who did what, where, from which address. Writes are
 * synchronous (better-sqlite3) so an event is on disk before the response that caused it.
 */
import type Database from 'better-sqlite3';

export interface AuditEventInput {
  action: string;
  userId?: string;
  workspaceId?: string;
  detail?: unknown;
  ip?: string;
}

export interface AuditEvent {
  id: number;
  at: string;
  userId: string | null;
  username: string | null;
  action: string;
  workspaceId: string | null;
  detail: unknown;
  ip: string | null;
}

export interface AuditLog {
  record(event: AuditEventInput): void;
  /** Newest first; `before` is an event id from a previous page. */
  list(options?: { limit?: number; before?: number }): AuditEvent[];
}

interface AuditRow {
  id: number;
  at: string;
  user_id: string | null;
  username: string | null;
  action: string;
  workspace_id: string | null;
  detail_json: string | null;
  ip: string | null;
}

export function createAuditLog(db: Database.Database, now: () => Date = () => new Date()): AuditLog {
  const insert = db.prepare(
    'INSERT INTO audit_events (at, user_id, action, workspace_id, detail_json, ip) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const select = db.prepare(`
    SELECT e.id, e.at, e.user_id, u.username, e.action, e.workspace_id, e.detail_json, e.ip
    FROM audit_events e LEFT JOIN users u ON u.id = e.user_id
    WHERE e.id < ? ORDER BY e.id DESC LIMIT ?`);
  return {
    record(event) {
      insert.run(
        now().toISOString(),
        event.userId ?? null,
        event.action,
        event.workspaceId ?? null,
        event.detail === undefined ? null : JSON.stringify(event.detail),
        event.ip ?? null,
      );
    },
    list(options = {}) {
      const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
      const rows = select.all(options.before ?? Number.MAX_SAFE_INTEGER, limit) as AuditRow[];
      return rows.map((row) => ({
        id: row.id,
        at: row.at,
        userId: row.user_id,
        username: row.username,
        action: row.action,
        workspaceId: row.workspace_id,
        detail: row.detail_json === null ? null : JSON.parse(row.detail_json),
        ip: row.ip,
      }));
    },
  };
}
