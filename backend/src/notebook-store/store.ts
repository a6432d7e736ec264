/**
 * Notebook versions: every save writes a new immutable file `notebooks/<nid>/v<N>.md` (atomic; the
 * Markdown notebook file of `@almready/notebooks`) and only then records it in SQLite. Versions saved
 * before the Markdown format are `v<N>.json` files (format v1), read through the format's migration. Order matters for crash safety: a file without a row is an
 * orphan that `recoverNotebooks` deletes; a row is only written after its file is durable, so a
 * row never points at a missing file. Saves run synchronously (sync fs + better-sqlite3), so two
 * requests can never interleave between the version check and the write.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { parseNotebookText, serializeNotebook, type NotebookDocument } from '@almready/notebooks';
import { newId } from '../workspaces/ids.ts';
import { writeFileAtomic } from '../files/atomic-file.ts';
import { deletePublicationFiles, deletePublicationRows } from './publications.ts';

export interface NotebookRow {
  id: string;
  workspace_id: string;
  name: string;
  version: number;
  published_version: number | null;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
}

export interface NotebookSummary {
  id: string;
  name: string;
  version: number;
  published: boolean;
  publishedVersion: number | null;
  updatedAt: string;
  updatedBy: string;
}

export type SaveResult =
  | { ok: true; row: NotebookRow }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'version_conflict'; current: NotebookRow; updatedByName: string };

export function notebookDir(workspaceDir: string, notebookId: string): string {
  return join(workspaceDir, 'notebooks', notebookId);
}

export function versionFile(workspaceDir: string, notebookId: string, version: number): string {
  return join(notebookDir(workspaceDir, notebookId), versionFileName(version));
}

export const versionFileName = (version: number): string => `v${version}.md`;
/** The file name versions had in format v1 (JSON); still read, never written. */
export const legacyVersionFileName = (version: number): string => `v${version}.json`;

/** The file holding a version: the Markdown file, else the v1 JSON file of an older save. */
function existingVersionFile(workspaceDir: string, notebookId: string, version: number): string | undefined {
  const current = versionFile(workspaceDir, notebookId, version);
  if (existsSync(current)) return current;
  const legacy = join(notebookDir(workspaceDir, notebookId), legacyVersionFileName(version));
  return existsSync(legacy) ? legacy : undefined;
}

export function getNotebookRow(db: Database, workspaceId: string, id: string): NotebookRow | undefined {
  return db.prepare('SELECT * FROM notebooks WHERE id = ? AND workspace_id = ?').get(id, workspaceId) as NotebookRow | undefined;
}

export function listNotebookRows(db: Database, workspaceId: string): (NotebookRow & { updated_by_name: string })[] {
  return db
    .prepare('SELECT n.*, COALESCE(u.username, n.updated_by) AS updated_by_name FROM notebooks n LEFT JOIN users u ON u.id = n.updated_by WHERE n.workspace_id = ? ORDER BY n.updated_at DESC, n.id')
    .all(workspaceId) as (NotebookRow & { updated_by_name: string })[];
}

// Version files never change once written, so a parsed version can be served from memory.
const versionCache = new Map<string, NotebookDocument>();
const VERSION_CACHE_SIZE = 200;

export function readVersion(workspaceDir: string, notebookId: string, version: number): NotebookDocument {
  const path = existingVersionFile(workspaceDir, notebookId, version) ?? versionFile(workspaceDir, notebookId, version);
  const cached = versionCache.get(path);
  if (cached) return cached;
  const parsed = parseNotebookText(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(`stored notebook ${notebookId} v${version} is unreadable: ${parsed.reason}`);
  if (versionCache.size >= VERSION_CACHE_SIZE) versionCache.delete(versionCache.keys().next().value!);
  versionCache.set(path, parsed.document);
  return parsed.document;
}

export function createNotebook(db: Database, workspaceId: string, workspaceDir: string, input: { name: string; content: NotebookDocument; userId: string }): NotebookRow {
  const id = newId();
  const now = new Date().toISOString();
  mkdirSync(notebookDir(workspaceDir, id), { recursive: true });
  writeFileAtomic(versionFile(workspaceDir, id, 1), serializeNotebook(input.content));
  db.transaction(() => {
    db.prepare('INSERT INTO notebooks (id, workspace_id, name, version, published_version, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, 1, NULL, ?, ?, ?, ?)')
      .run(id, workspaceId, input.name, input.userId, now, input.userId, now);
    db.prepare('INSERT INTO notebook_versions (notebook_id, version, name, saved_by, saved_at) VALUES (?, 1, ?, ?, ?)').run(id, input.name, input.userId, now);
  })();
  return getNotebookRow(db, workspaceId, id)!;
}

export function saveNotebook(
  db: Database,
  workspaceId: string,
  workspaceDir: string,
  input: { id: string; baseVersion: number; name?: string | undefined; content: NotebookDocument; userId: string },
): SaveResult {
  const current = getNotebookRow(db, workspaceId, input.id);
  if (!current) return { ok: false, reason: 'not_found' };
  if (current.version !== input.baseVersion) {
    const who = db.prepare('SELECT username FROM users WHERE id = ?').get(current.updated_by) as { username: string } | undefined;
    return { ok: false, reason: 'version_conflict', current, updatedByName: who?.username ?? current.updated_by };
  }
  const version = current.version + 1;
  const name = input.name ?? current.name;
  const now = new Date().toISOString();
  writeFileAtomic(versionFile(workspaceDir, input.id, version), serializeNotebook(input.content));
  db.transaction(() => {
    db.prepare('INSERT INTO notebook_versions (notebook_id, version, name, saved_by, saved_at) VALUES (?, ?, ?, ?, ?)').run(input.id, version, name, input.userId, now);
    db.prepare('UPDATE notebooks SET version = ?, name = ?, updated_by = ?, updated_at = ? WHERE id = ?').run(version, name, input.userId, now, input.id);
  })();
  return { ok: true, row: getNotebookRow(db, workspaceId, input.id)! };
}

export function publishNotebook(db: Database, row: NotebookRow, userId: string): NotebookRow {
  db.prepare('UPDATE notebooks SET published_version = version, updated_at = ?, updated_by = ? WHERE id = ?').run(new Date().toISOString(), userId, row.id);
  return getNotebookRow(db, row.workspace_id, row.id)!;
}

/** Published notebooks with their published version's own name, time and author, newest publication first. */
export function listPublishedNotebooks(db: Database, workspaceId: string): { id: string; version: number; name: string; savedAt: string; savedBy: string }[] {
  return db
    .prepare(`SELECT n.id, n.published_version AS version, v.name, v.saved_at AS savedAt, COALESCE(u.username, v.saved_by) AS savedBy
      FROM notebooks n JOIN notebook_versions v ON v.notebook_id = n.id AND v.version = n.published_version LEFT JOIN users u ON u.id = v.saved_by
      WHERE n.workspace_id = ? AND n.published_version IS NOT NULL ORDER BY v.saved_at DESC, n.id`)
    .all(workspaceId) as { id: string; version: number; name: string; savedAt: string; savedBy: string }[];
}

/** What a version says about itself (name, when, who): all a `view` member may see of a notebook. */
export function versionMeta(db: Database, notebookId: string, version: number): { name: string; savedAt: string; savedBy: string } | undefined {
  return db
    .prepare('SELECT v.name, v.saved_at AS savedAt, COALESCE(u.username, v.saved_by) AS savedBy FROM notebook_versions v LEFT JOIN users u ON u.id = v.saved_by WHERE v.notebook_id = ? AND v.version = ?')
    .get(notebookId, version) as { name: string; savedAt: string; savedBy: string } | undefined;
}

export function listVersions(db: Database, notebookId: string): { version: number; savedAt: string; savedBy: string; name: string }[] {
  return db
    .prepare('SELECT v.version, v.saved_at AS savedAt, COALESCE(u.username, v.saved_by) AS savedBy, v.name FROM notebook_versions v LEFT JOIN users u ON u.id = v.saved_by WHERE v.notebook_id = ? ORDER BY v.version DESC')
    .all(notebookId) as { version: number; savedAt: string; savedBy: string; name: string }[];
}

/** Row first, files after (see file comment). */
export function deleteNotebook(db: Database, workspaceDir: string, row: NotebookRow): void {
  const publications = db.transaction(() => {
    const ids = deletePublicationRows(db, row.id);
    db.prepare('DELETE FROM notebook_versions WHERE notebook_id = ?').run(row.id);
    db.prepare('DELETE FROM notebooks WHERE id = ?').run(row.id);
    return ids;
  })();
  rmSync(notebookDir(workspaceDir, row.id), { recursive: true, force: true });
  deletePublicationFiles(workspaceDir, publications);
}

export function notebookFileExists(workspaceDir: string, notebookId: string, version: number): boolean {
  return existingVersionFile(workspaceDir, notebookId, version) !== undefined;
}
