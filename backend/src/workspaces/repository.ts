/** SQL of workspaces and their members. Callers have already checked permissions. */
import type { Database } from 'better-sqlite3';
import { statement } from '../db/statements.ts';
import type { WorkspaceRole } from './roles.ts';

export interface WorkspaceRow {
  id: string;
  owner_id: string;
  owner_username: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface Workspace {
  id: string;
  name: string;
  description: string;
  role: WorkspaceRole;
  owner: { id: string; username: string };
  createdAt: string;
  updatedAt: string;
}

export interface WorkspaceMember {
  userId: string;
  username: string;
  role: WorkspaceRole;
}

const SELECT = `SELECT w.id, w.owner_id, u.username AS owner_username, w.name, w.description, w.created_at, w.updated_at
  FROM workspaces w JOIN users u ON u.id = w.owner_id`;

export function toWorkspace(row: WorkspaceRow, role: WorkspaceRole): Workspace {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    role,
    owner: { id: row.owner_id, username: row.owner_username },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function listWorkspacesOf(db: Database, userId: string): Workspace[] {
  const rows = statement(db, `SELECT w.id, w.owner_id, u.username AS owner_username, w.name, w.description, w.created_at, w.updated_at, m.role AS role
      FROM workspaces w JOIN users u ON u.id = w.owner_id JOIN workspace_members m ON m.workspace_id = w.id AND m.user_id = ?
      ORDER BY w.updated_at DESC, w.id`)
    .all(userId) as (WorkspaceRow & { role: WorkspaceRole })[];
  return rows.map((row) => toWorkspace(row, row.role));
}

export function getWorkspaceRow(db: Database, id: string): WorkspaceRow | undefined {
  return statement(db, `${SELECT} WHERE w.id = ?`).get(id) as WorkspaceRow | undefined;
}

export function memberRole(db: Database, workspaceId: string, userId: string): WorkspaceRole | undefined {
  const row = statement(db, 'SELECT role FROM workspace_members WHERE workspace_id = ? AND user_id = ?').get(workspaceId, userId) as { role: WorkspaceRole } | undefined;
  return row?.role;
}

export function insertWorkspace(db: Database, ws: { id: string; ownerId: string; name: string; description: string; now: string }): void {
  db.transaction(() => {
    db.prepare('INSERT INTO workspaces (id, owner_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(ws.id, ws.ownerId, ws.name, ws.description, ws.now, ws.now);
    db.prepare("INSERT INTO workspace_members (workspace_id, user_id, role, added_at) VALUES (?, ?, 'owner', ?)").run(ws.id, ws.ownerId, ws.now);
  })();
}

export function updateWorkspace(db: Database, id: string, changes: { name?: string | undefined; description?: string | undefined }, now: string): void {
  const row = getWorkspaceRow(db, id);
  if (!row) return;
  db.prepare('UPDATE workspaces SET name = ?, description = ?, updated_at = ? WHERE id = ?').run(changes.name ?? row.name, changes.description ?? row.description, now, id);
}

export function touchWorkspace(db: Database, id: string, now = new Date().toISOString()): void {
  db.prepare('UPDATE workspaces SET updated_at = ? WHERE id = ?').run(now, id);
}

/** Removes every row of a workspace (children first, so it works with or without foreign keys on). */
export function deleteWorkspaceRows(db: Database, id: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM notebook_versions WHERE notebook_id IN (SELECT id FROM notebooks WHERE workspace_id = ?)').run(id);
    db.prepare('DELETE FROM notebooks WHERE workspace_id = ?').run(id);
    db.prepare('DELETE FROM datasets WHERE workspace_id = ?').run(id);
    db.prepare('DELETE FROM runs WHERE workspace_id = ?').run(id);
    db.prepare('DELETE FROM workspace_members WHERE workspace_id = ?').run(id);
    db.prepare('DELETE FROM workspaces WHERE id = ?').run(id);
  })();
}

export function listMembers(db: Database, workspaceId: string): WorkspaceMember[] {
  return db
    .prepare(`SELECT m.user_id AS userId, u.username AS username, m.role AS role FROM workspace_members m JOIN users u ON u.id = m.user_id
      WHERE m.workspace_id = ? ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'edit' THEN 1 WHEN 'explore' THEN 2 ELSE 3 END, u.username`)
    .all(workspaceId) as WorkspaceMember[];
}

export function findUserByUsername(db: Database, username: string): { id: string; username: string } | undefined {
  return db.prepare('SELECT id, username FROM users WHERE username = ?').get(username) as { id: string; username: string } | undefined;
}

export function upsertMember(db: Database, workspaceId: string, userId: string, role: WorkspaceRole, now: string): void {
  db.prepare(`INSERT INTO workspace_members (workspace_id, user_id, role, added_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`).run(workspaceId, userId, role, now);
}

export function removeMember(db: Database, workspaceId: string, userId: string): boolean {
  return db.prepare('DELETE FROM workspace_members WHERE workspace_id = ? AND user_id = ?').run(workspaceId, userId).changes > 0;
}
