/**
 * Publications: a notebook version frozen with its outputs. The outputs (each cell's output and the
 * first rows of every table the report shows) are one immutable file
 * `<workspace>/publications/<id>.json`, written atomically before the row, so a row never points at
 * a missing file and clearing, recomputing or losing cached outputs never changes what a
 * publication shows. The row records where the figures came from (dataset id and hash, engine,
 * inputs, each cell's output key); `notebook_publication_outputs` pins those keys in the output store.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Publication, PublicationSummary, PublishedCell } from '@almready/contracts';
import { cellOutputSchema, cellValueSchema, tableColumnSchema, type CellOutput, type StoredRows } from '@almready/notebooks';
import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic-file.ts';

const SNAPSHOT_VERSION = 1;
const snapshotSchema = z.strictObject({
  version: z.literal(SNAPSHOT_VERSION),
  publicationId: z.string(),
  outputs: z.record(z.string(), cellOutputSchema),
  tableRows: z.record(z.string(), z.strictObject({ rowCount: z.number().int().min(0), columns: z.array(tableColumnSchema), rows: z.array(z.record(z.string(), cellValueSchema)) })),
});

export interface PublicationSnapshot {
  outputs: Map<string, CellOutput>;
  tableRows: Map<string, StoredRows>;
}

interface Row {
  id: string;
  workspace_id: string;
  notebook_id: string;
  seq: number;
  version: number;
  name: string;
  dataset_id: string | null;
  dataset_name: string | null;
  dataset_as_of: string | null;
  dataset_hash: string | null;
  engine_version: string;
  parameters_json: string;
  cells_json: string;
  execution_id: string;
  ran_at: string;
  run_ms: number;
  published_by: string;
  published_at: string;
  published_by_name: string;
  latest_seq: number;
}

export type NewPublication = Omit<Publication, 'latest' | 'publishedBy'> & { publishedById: string };

export function publicationFile(workspaceDir: string, publicationId: string): string {
  return join(workspaceDir, 'publications', `${publicationId}.json`);
}

/** File first (atomic), then the row and its pinned keys in one transaction. */
export function recordPublication(db: Database, workspaceId: string, workspaceDir: string, publication: NewPublication, snapshot: PublicationSnapshot): void {
  const file = publicationFile(workspaceDir, publication.id);
  mkdirSync(join(file, '..'), { recursive: true });
  const text = JSON.stringify({
    version: SNAPSHOT_VERSION,
    publicationId: publication.id,
    outputs: Object.fromEntries(snapshot.outputs),
    tableRows: Object.fromEntries(snapshot.tableRows),
  } satisfies z.infer<typeof snapshotSchema>);
  writeFileAtomic(file, text);
  try {
    db.transaction(() => {
      const seq = (db.prepare('SELECT coalesce(max(seq), 0) + 1 FROM notebook_publications WHERE notebook_id = ?').pluck().get(publication.notebookId) as number);
      db.prepare(`INSERT INTO notebook_publications (id, workspace_id, notebook_id, seq, version, name, dataset_id, dataset_name, dataset_as_of, dataset_hash, engine_version,
        parameters_json, cells_json, execution_id, ran_at, run_ms, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(publication.id, workspaceId, publication.notebookId, seq, publication.version, publication.name, publication.datasetId, publication.datasetName, publication.datasetAsOf,
          publication.datasetHash, publication.engineVersion, JSON.stringify(publication.parameters), JSON.stringify(publication.cells), publication.executionId,
          publication.ranAt, publication.runMs, publication.publishedById, publication.publishedAt);
      const pin = db.prepare('INSERT OR IGNORE INTO notebook_publication_outputs (publication_id, workspace_id, cache_key) VALUES (?, ?, ?)');
      for (const cell of publication.cells) pin.run(publication.id, workspaceId, cell.cacheKey);
      db.prepare('UPDATE notebooks SET published_version = ? WHERE id = ?').run(publication.version, publication.notebookId);
    })();
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
}

const SELECT = `SELECT p.*, COALESCE(u.username, p.published_by) AS published_by_name,
  (SELECT max(seq) FROM notebook_publications q WHERE q.notebook_id = p.notebook_id) AS latest_seq
  FROM notebook_publications p LEFT JOIN users u ON u.id = p.published_by`;

function present(row: Row): Publication {
  return {
    id: row.id,
    notebookId: row.notebook_id,
    version: row.version,
    name: row.name,
    datasetId: row.dataset_id,
    datasetName: row.dataset_name,
    datasetAsOf: row.dataset_as_of,
    datasetHash: row.dataset_hash,
    engineVersion: row.engine_version,
    parameters: JSON.parse(row.parameters_json) as Publication['parameters'],
    executionId: row.execution_id,
    ranAt: row.ran_at,
    runMs: row.run_ms,
    publishedAt: row.published_at,
    publishedBy: row.published_by_name,
    latest: row.seq === row.latest_seq,
    cells: JSON.parse(row.cells_json) as PublishedCell[],
  };
}

export function summaryOf(publication: Publication): PublicationSummary {
  const { cells: _cells, ...summary } = publication;
  return summary;
}

/** Newest first. */
export function listPublications(db: Database, workspaceId: string, notebookId: string): Publication[] {
  return (db.prepare(`${SELECT} WHERE p.workspace_id = ? AND p.notebook_id = ? ORDER BY p.seq DESC`).all(workspaceId, notebookId) as Row[]).map(present);
}

export function getPublication(db: Database, workspaceId: string, notebookId: string, publicationId: string): Publication | undefined {
  const row = db.prepare(`${SELECT} WHERE p.workspace_id = ? AND p.notebook_id = ? AND p.id = ?`).get(workspaceId, notebookId, publicationId) as Row | undefined;
  return row === undefined ? undefined : present(row);
}

export function latestPublication(db: Database, workspaceId: string, notebookId: string): Publication | undefined {
  const row = db.prepare(`${SELECT} WHERE p.workspace_id = ? AND p.notebook_id = ? ORDER BY p.seq DESC LIMIT 1`).get(workspaceId, notebookId) as Row | undefined;
  return row === undefined ? undefined : present(row);
}

/** The frozen outputs; a damaged file is a server fault (never silently recomputed). */
export function readPublicationSnapshot(workspaceDir: string, publicationId: string): PublicationSnapshot {
  const file = publicationFile(workspaceDir, publicationId);
  const parsed = snapshotSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (parsed.publicationId !== publicationId) throw new Error(`publication file ${publicationId} holds publication ${parsed.publicationId}`);
  return { outputs: new Map(Object.entries(parsed.outputs)), tableRows: new Map(Object.entries(parsed.tableRows)) };
}

/** Whether a publication holds this output key (the output store keeps such rows whatever happens). */
export function isPublishedOutput(db: Database, workspaceId: string, cacheKey: string): boolean {
  return db.prepare('SELECT 1 FROM notebook_publication_outputs WHERE workspace_id = ? AND cache_key = ? LIMIT 1').get(workspaceId, cacheKey) !== undefined;
}

/** Rows first (inside the caller's transaction), files after. */
export function deletePublicationRows(db: Database, notebookId: string): string[] {
  const ids = db.prepare('SELECT id FROM notebook_publications WHERE notebook_id = ?').pluck().all(notebookId) as string[];
  db.prepare('DELETE FROM notebook_publication_outputs WHERE publication_id IN (SELECT id FROM notebook_publications WHERE notebook_id = ?)').run(notebookId);
  db.prepare('DELETE FROM notebook_publications WHERE notebook_id = ?').run(notebookId);
  return ids;
}

export function deletePublicationFiles(workspaceDir: string, ids: readonly string[]): void {
  for (const id of ids) {
    const file = publicationFile(workspaceDir, id);
    if (existsSync(file)) rmSync(file, { force: true });
  }
}
