/**
 * The notebook runner's `OutputStore` for one workspace: each output is a JSON file under the
 * workspace folder (`outputs/<key[0..2]>/<key>.json`, written atomically) indexed by a row of
 * `notebook_outputs`. The file is durable before its row is written, so a row never points at a
 * missing or torn file, and a restart — or another server process on the same data directory —
 * reads the same outputs. Rows are per workspace: a key computed in one workspace finds nothing
 * of another's.
 *
 * `put` keeps the first output written under a key (equal keys mean equal source, inputs, dataset
 * and engine): a stored output is never overwritten, and a key a publication holds
 * (`notebook_publication_outputs`) never loses its row. Two processes racing on one key both write complete files of equivalent outputs;
 * the row of the first stands.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { cellOutputSchema, type OutputStore, type StoredOutput } from '@almready/notebooks';
import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic-file.ts';
import { isPublishedOutput } from '../notebook-store/publications.ts';

const KEY = /^[0-9a-f]{64}$/;
const OUTPUT_FILE_VERSION = 1;
const outputFileSchema = z.strictObject({ version: z.literal(OUTPUT_FILE_VERSION), cacheKey: z.string().regex(KEY), output: cellOutputSchema });

interface OutputRow { cell_id: string; duration_ms: number; created_at: number }

export class OutputStoreError extends Error {
  override name = 'OutputStoreError';
}

export class WorkspaceOutputStore implements OutputStore {
  constructor(
    private readonly db: Database,
    private readonly workspaceId: string,
    private readonly workspaceDir: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  async get(cacheKey: string): Promise<StoredOutput | null> {
    const key = checkedKey(cacheKey);
    const row = this.db.prepare('SELECT cell_id, duration_ms, created_at FROM notebook_outputs WHERE workspace_id = ? AND cache_key = ?').get(this.workspaceId, key) as OutputRow | undefined;
    if (row === undefined) return null;
    const file = this.file(key);
    let parsed: z.infer<typeof outputFileSchema>;
    try {
      parsed = outputFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      // an unreadable output is a miss: the cell runs again and writes it anew. A key a publication
      // holds keeps its row (clean-up must never see it as unused); `put` repairs its file.
      this.log(`notebook output ${key} of workspace ${this.workspaceId} is unreadable (${error instanceof Error ? error.message : String(error)}); it will be recomputed`);
      if (!isPublishedOutput(this.db, this.workspaceId, key)) this.db.prepare('DELETE FROM notebook_outputs WHERE workspace_id = ? AND cache_key = ?').run(this.workspaceId, key);
      return null;
    }
    if (parsed.cacheKey !== key) return null;
    return { cacheKey: key, cellId: row.cell_id, output: parsed.output, durationMs: row.duration_ms, createdAt: row.created_at };
  }

  async put(stored: StoredOutput): Promise<void> {
    const key = checkedKey(stored.cacheKey);
    const output = cellOutputSchema.safeParse(stored.output);
    if (!output.success) throw new OutputStoreError(`the output of cell ${stored.cellId} does not fit its schema: ${output.error.issues[0]?.message ?? 'invalid'}`);
    const exists = this.db.prepare('SELECT 1 FROM notebook_outputs WHERE workspace_id = ? AND cache_key = ?').get(this.workspaceId, key);
    const text = JSON.stringify({ version: OUTPUT_FILE_VERSION, cacheKey: key, output: output.data });
    const file = this.file(key);
    if (exists !== undefined) {
      // the first output of a key stands; only a file that no longer reads (a kept row of a published key) is written again
      if (!this.readable(file, key)) writeFileAtomic(file, text);
      return;
    }
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileAtomic(file, text);
    try {
      this.db.prepare('INSERT OR IGNORE INTO notebook_outputs (workspace_id, cache_key, cell_id, kind, bytes, duration_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(this.workspaceId, key, stored.cellId, output.data.kind, Buffer.byteLength(text), stored.durationMs, stored.createdAt);
    } catch (error) {
      if (existsSync(file) && this.db.prepare('SELECT 1 FROM notebook_outputs WHERE workspace_id = ? AND cache_key = ?').get(this.workspaceId, key) === undefined) rmSync(file, { force: true });
      throw error;
    }
  }

  private readable(file: string, key: string): boolean {
    try {
      return outputFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).cacheKey === key;
    } catch {
      return false;
    }
  }

  private file(key: string): string {
    return join(this.workspaceDir, 'outputs', key.slice(0, 2), `${key}.json`);
  }
}

/** Keys become file names: only a SHA-256 in hex is one. */
function checkedKey(key: string): string {
  if (!KEY.test(key)) throw new OutputStoreError(`"${key.slice(0, 80)}" is not an output key (64 hexadecimal digits)`);
  return key;
}
