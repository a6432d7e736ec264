/**
 * Start-up clean-up after a crash (kill -9, power loss). Writers always create files before rows
 * and delete rows before files, so what a crash can leave is only ever *extra* files:
 * upload temp folders, importer `.tmp-*` folders, dataset folders whose row was never written,
 * notebook version files without a version row, notebook folders without a notebook row,
 * publication files without a publication row, and folders of deleted workspaces. All are removed here; no row is touched except dataset rows
 * whose folder has vanished.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceDeps } from './deps.ts';
import { isUuid } from './ids.ts';
import { workspaceDir } from './paths.ts';
import { legacyVersionFileName, versionFileName } from '../notebook-store/store.ts';

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export interface RecoveryReport {
  removed: string[];
}

export function recoverWorkspaceFiles(deps: WorkspaceDeps): RecoveryReport {
  const { db } = deps;
  const removed: string[] = [];
  const remove = (path: string) => {
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  };
  const workspaces = db.prepare('SELECT id, owner_id FROM workspaces').all() as { id: string; owner_id: string }[];
  const known = new Set(workspaces.map((w) => w.id));
  const root = join(deps.config.dataDir, 'workspaces');
  for (const owner of entries(root)) {
    for (const wid of entries(join(root, owner))) if (isUuid(wid) && !known.has(wid)) remove(join(root, owner, wid));
  }
  for (const ws of workspaces) {
    const dir = workspaceDir(deps.config.dataDir, ws.owner_id, ws.id);
    const datasetsDir = join(dir, 'datasets');
    const datasetRows = new Set((db.prepare('SELECT id FROM datasets WHERE workspace_id = ?').all(ws.id) as { id: string }[]).map((r) => r.id));
    for (const name of entries(datasetsDir)) {
      if (name.startsWith('.upload-') || name.startsWith('.tmp-') || (isUuid(name) && !datasetRows.has(name))) remove(join(datasetsDir, name));
    }
    for (const id of datasetRows) {
      if (!existsSync(join(datasetsDir, id, 'manifest.json'))) db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
    }
    const notebooksDir = join(dir, 'notebooks');
    const notebookRows = new Set((db.prepare('SELECT id FROM notebooks WHERE workspace_id = ?').all(ws.id) as { id: string }[]).map((r) => r.id));
    for (const nid of entries(notebooksDir)) {
      const nbDir = join(notebooksDir, nid);
      if (!notebookRows.has(nid)) {
        remove(nbDir);
        continue;
      }
      const versions = new Set((db.prepare('SELECT version FROM notebook_versions WHERE notebook_id = ?').all(nid) as { version: number }[]).flatMap((r) => [versionFileName(r.version), legacyVersionFileName(r.version)]));
      for (const file of entries(nbDir)) if (!versions.has(file)) remove(join(nbDir, file));
    }
    // a publication's file is written before its row: one without a row (or a temp file) was cut off
    const publicationsDir = join(dir, 'publications');
    const publicationRows = new Set(db.prepare('SELECT id FROM notebook_publications WHERE workspace_id = ?').pluck().all(ws.id) as string[]);
    for (const file of entries(publicationsDir)) if (!publicationRows.has(file.replace(/\.json$/, '')) || !file.endsWith('.json')) remove(join(publicationsDir, file));
  }
  if (removed.length > 0) deps.logger.warn({ removed: removed.length }, 'removed files left by an interrupted write');
  return { removed };
}
