/**
 * The notebook runner's `OutputStore` for one workspace: each output is a JSON file under the
 * workspace folder (`outputs/<key[0..2]>/<key>.json`, written atomically) indexed by a row of
 * `notebook_outputs`. The file is durable before its row is written, so a row never points at a
 * missing or torn file, and a restart — or another server process on the same data directory —
 * reads the same outputs. Rows are per workspace: a key computed in one workspace finds nothing
 * of another's.
 *
 * `put` keeps the first output written under a key (equal keys mean equal source, inputs, dataset
 * and engine). Two processes racing on one key both write complete files of equivalent outputs;
 * the row of the first stands.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { cellOutputSchema, type OutputStore, type StoredOutput } from '@almready/notebooks';
import { z } from 'zod';
import { writeFileAtomic } from '../notebook-store/atomic-file.ts';

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
      // an unreadable output is a miss: the cell runs again and writes it anew
      this.log(`notebook output ${key} of workspace ${this.workspaceId} is unreadable (${error instanceof Error ? error.message : String(error)}); it will be recomputed`);
      this.db.prepare('DELETE FROM notebook_outputs WHERE workspace_id = ? AND cache_key = ?').run(this.workspaceId, key);
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
    if (exists !== undefined) return;
    const text = JSON.stringify({ version: OUTPUT_FILE_VERSION, cacheKey: key, output: output.data });
    const file = this.file(key);
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

  private file(key: string): string {
    return join(this.workspaceDir, 'outputs', key.slice(0, 2), `${key}.json`);
  }
}

/** Keys become file names: only a SHA-256 in hex is one. */
function checkedKey(key: string): string {
  if (!KEY.test(key)) throw new OutputStoreError(`"${key.slice(0, 80)}" is not an output key (64 hexadecimal digits)`);
  return key;
}
