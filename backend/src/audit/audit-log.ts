/**
 * Append-only audit trail in SQLite: who did what, where, from which address. Writes are
 * synchronous (better-sqlite3) so an event is on disk before the response that caused it.
 * Events of signed-in users are always written. Anonymous events (failed and throttled logins)
 * are what anyone on the network can cause, so they are capped per address and in total per
 * minute: past a cap one `audit.suppressed` row says so and the rest of that minute is dropped,
 * so the table cannot be grown without limit by someone who never signs in.
 */
import type Database from 'better-sqlite3';

export interface AuditEventInput {
  action: string;
  userId?: string;
  workspaceId?: string;
  detail?: unknown;
  ip?: string;
}

/** An event as `GET /api/admin/audit` answers it: the contract's (@almready/contracts users.ts). */
export type { AuditEvent } from '@almready/contracts';
import type { AuditEvent } from '@almready/contracts';

export interface AuditLimits {
  /** Anonymous events kept per client address per minute. */
  anonymousPerAddress: number;
  /** Anonymous events kept per minute from all addresses together. */
  anonymousTotal: number;
}

export const DEFAULT_AUDIT_LIMITS: AuditLimits = { anonymousPerAddress: 60, anonymousTotal: 600 };
const WINDOW_MS = 60_000;

interface Window {
  start: number;
  count: number;
  noted: boolean;
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
  workspace_name: string | null;
  detail_json: string | null;
  ip: string | null;
}

export function createAuditLog(db: Database.Database, now: () => Date = () => new Date(), limits: AuditLimits = DEFAULT_AUDIT_LIMITS): AuditLog {
  const insert = db.prepare(
    'INSERT INTO audit_events (at, user_id, action, workspace_id, detail_json, ip) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // The workspace's name as it is now; a deleted or purged workspace is named by the latest name
  // its own workspace.* events recorded (detail.name). A database without workspace tables (the
  // audit log's own tests) names none.
  const hasWorkspaces = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workspaces'").get() !== undefined;
  const workspaceName = hasWorkspaces
    ? `coalesce(w.name, (SELECT json_extract(n.detail_json, '$.name') FROM audit_events n
        WHERE n.workspace_id = e.workspace_id AND n.action IN ('workspace.create', 'workspace.update', 'workspace.delete', 'workspace.purge', 'workspace.demo')
          AND json_valid(n.detail_json) AND json_type(n.detail_json, '$.name') = 'text'
        ORDER BY n.id DESC LIMIT 1))`
    : 'NULL';
  const select = db.prepare(`
    SELECT e.id, e.at, e.user_id, u.username, e.action, e.workspace_id, ${workspaceName} AS workspace_name, e.detail_json, e.ip
    FROM audit_events e LEFT JOIN users u ON u.id = e.user_id ${hasWorkspaces ? 'LEFT JOIN workspaces w ON w.id = e.workspace_id' : ''}
    WHERE e.id < ? ORDER BY e.id DESC LIMIT ?`);
  const byAddress = new Map<string, Window>();
  const total: Window = { start: 0, count: 0, noted: false };
  const write = (event: AuditEventInput) => insert.run(
    now().toISOString(),
    event.userId ?? null,
    event.action,
    event.workspaceId ?? null,
    event.detail === undefined ? null : JSON.stringify(event.detail),
    event.ip ?? null,
  );
  const advance = (window: Window, at: number) => {
    if (at - window.start >= WINDOW_MS) Object.assign(window, { start: at, count: 0, noted: false });
  };
  /** Whether an anonymous event must be dropped now; notes (once per window) when it is. */
  const suppressAnonymous = (ip: string | undefined): boolean => {
    const at = now().getTime();
    if (byAddress.size > 10_000) {
      for (const [key, w] of byAddress) if (at - w.start >= WINDOW_MS) byAddress.delete(key);
    }
    const key = ip ?? '';
    const mine = byAddress.get(key) ?? { start: at, count: 0, noted: false };
    byAddress.set(key, mine);
    advance(mine, at);
    advance(total, at);
    const overMine = mine.count >= limits.anonymousPerAddress;
    // Addresses are remembered for one window; more than 10,000 at once counts as the total cap.
    const overTotal = total.count >= limits.anonymousTotal || byAddress.size > 10_000;
    if (!overMine && !overTotal) {
      mine.count += 1;
      total.count += 1;
      return false;
    }
    const window = overTotal ? total : mine;
    if (!window.noted) {
      window.noted = true;
      write({ action: 'audit.suppressed', ...(overTotal ? {} : { ip }), detail: { reason: overTotal ? 'anonymous events from all addresses' : 'anonymous events from this address', perMinute: overTotal ? limits.anonymousTotal : limits.anonymousPerAddress } });
    }
    return true;
  };
  return {
    record(event) {
      if (event.userId === undefined && suppressAnonymous(event.ip)) return;
      write(event);
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
        workspaceName: typeof row.workspace_name === 'string' ? row.workspace_name : null,
        detail: row.detail_json === null ? null : JSON.parse(row.detail_json),
        ip: row.ip,
      }));
    },
  };
}
