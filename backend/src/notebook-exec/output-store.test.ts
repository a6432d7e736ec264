import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { NotebookRunner, type CellHost, type NotebookDocument, type StoredOutput } from '@almready/notebooks';
import { analyseNotebook } from '@almready/notebooks/analysis';
import { openDatabase } from '../db/open-database.ts';
import { WorkspaceOutputStore } from './output-store.ts';

const WS_A = '11111111-1111-4111-8111-111111111111';
const WS_B = '22222222-2222-4222-8222-222222222222';
const KEY = 'a'.repeat(64);

let dataDir: string;
let db: Database.Database;

function openWithWorkspaces(): Database.Database {
  const opened = openDatabase(dataDir);
  const now = new Date(0).toISOString();
  opened.prepare(`INSERT OR IGNORE INTO users (id, username, password_hash, role, created_at, updated_at) VALUES ('u1', 'anna', 'x', 'member', ?, ?)`).run(now, now);
  for (const id of [WS_A, WS_B]) opened.prepare(`INSERT OR IGNORE INTO workspaces (id, owner_id, name, created_at, updated_at) VALUES (?, 'u1', ?, ?, ?)`).run(id, id, now, now);
  return opened;
}
const wsDir = (id: string) => join(dataDir, 'workspaces', 'u1', id);

const sqlOutput = (rows: number): StoredOutput => ({
  cacheKey: KEY, cellId: 'by_product', durationMs: 12.5, createdAt: 1_700_000_000_000,
  output: { kind: 'sql', table: { id: `r_${KEY.slice(0, 16)}`, name: 'by_product', rowCount: rows, columns: [{ name: 'product', type: 'VARCHAR' }], firstPage: [{ product: 'loan' }] } },
});

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'almready-outputs-'));
  db = openWithWorkspaces();
});
afterEach(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('workspace output store', () => {
  it('reads back what it stored, keeps the first output of a key, and only in its own workspace', async () => {
    const store = new WorkspaceOutputStore(db, WS_A, wsDir(WS_A));
    await store.put(sqlOutput(3));
    await store.put(sqlOutput(999)); // a second writer of the same key changes nothing
    expect(await store.get(KEY)).toEqual(sqlOutput(3));
    expect(readdirSync(join(wsDir(WS_A), 'outputs', 'aa'))).toEqual([`${KEY}.json`]);
    expect(await new WorkspaceOutputStore(db, WS_B, wsDir(WS_B)).get(KEY)).toBeNull();
    expect(await new WorkspaceOutputStore(db, WS_B, wsDir(WS_A)).get(KEY)).toBeNull(); // even pointed at A's folder: B has no row
  });

  it('a key that is not a SHA-256 in hex never becomes a path', async () => {
    const store = new WorkspaceOutputStore(db, WS_A, wsDir(WS_A));
    await expect(store.get('../../../etc/passwd')).rejects.toThrow('"../../../etc/passwd" is not an output key (64 hexadecimal digits)');
    await expect(store.put({ ...sqlOutput(1), cacheKey: `${'b'.repeat(63)}/` })).rejects.toThrow('is not an output key');
    await expect(store.put({ ...sqlOutput(1), output: { kind: 'sql' } as never })).rejects.toThrow(/^the output of cell by_product does not fit its schema/);
    expect(db.prepare('SELECT count(*) AS n FROM notebook_outputs').get()).toEqual({ n: 0 });
  });

  it('an unreadable file is a miss, its row dropped, and the next put writes it anew; a file without a row is not an output', async () => {
    const store = new WorkspaceOutputStore(db, WS_A, wsDir(WS_A));
    await store.put(sqlOutput(3));
    writeFileSync(join(wsDir(WS_A), 'outputs', 'aa', `${KEY}.json`), '{"version": 1, "cacheKey": "');
    const logged: string[] = [];
    const logging = new WorkspaceOutputStore(db, WS_A, wsDir(WS_A), (m) => logged.push(m));
    expect(await logging.get(KEY)).toBeNull();
    expect(logged[0]).toMatch(/^notebook output a{64} of workspace 1{8}-.* is unreadable/);
    await logging.put(sqlOutput(4));
    expect((await logging.get(KEY))?.output).toMatchObject({ table: { rowCount: 4 } });

    const orphan = 'c'.repeat(64); // as after a crash between the file and its row
    await store.put({ ...sqlOutput(5), cacheKey: orphan });
    db.prepare('DELETE FROM notebook_outputs WHERE cache_key = ?').run(orphan);
    expect(await store.get(orphan)).toBeNull();
  });

  it('after a restart a new store on the same data directory finds every output: nothing runs again', async () => {
    const doc: NotebookDocument = {
      format: 'almready-notebook', version: 2, title: 'Restart',
      cells: [
        { id: 'tier1', kind: 'input', name: 'tier1', source: '{"type": "tier1", "default": 1200000000}' },
        { id: 'note', kind: 'markdown', source: 'Tier 1 is ${tier1:money}.' },
      ],
    };
    const host: CellHost = { runSql: async () => ({ ok: false, message: 'no SQL here' }), runTs: async () => ({ ok: false, message: 'no ts here' }) };
    const analyse = (d: NotebookDocument) => analyseNotebook(d, { tableReferences: async () => ({ ok: true, tables: [], statements: 1 }) });
    const runWith = async (database: Database.Database) => {
      const runner = new NotebookRunner({ host, store: new WorkspaceOutputStore(database, WS_A, wsDir(WS_A)), analyse, engineVersion: '1.0.0' });
      const started = runner.start({ snapshot: { notebookId: 'n1', version: 1, document: doc }, target: { scope: 'notebook' }, datasetId: 'd1' });
      const result = await started.execution.result;
      return { result, fromCache: started.execution.log.all().flatMap((e) => (e.type === 'done' ? [[e.cellId, e.fromCache]] : [])) };
    };
    const before = await runWith(db);
    expect(before.fromCache).toEqual([['tier1', false], ['note', false]]);
    db.close();
    db = openWithWorkspaces(); // a new process on the same data directory
    const after = await runWith(db);
    expect(after.fromCache).toEqual([['tier1', true], ['note', true]]);
    const html = after.result.cells.get('note')?.output;
    expect(html).toEqual({ kind: 'markdown', html: '<p>Tier 1 is <span class="nb-value">1,200,000,000</span>.</p>\n', references: ['tier1'], problems: [] });
    expect(after.result.cells.get('note')?.cacheKey).toBe(before.result.cells.get('note')?.cacheKey);
  });
});
