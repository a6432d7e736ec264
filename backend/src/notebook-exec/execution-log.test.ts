import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { MemoryOutputStore, NotebookRunner, type CellHost, type NotebookDocument } from '@almready/notebooks';
import { analyseNotebook } from '@almready/notebooks/analysis';
import { openDatabase } from '../db/open-database.ts';
import { ExecutionLog } from './execution-log.ts';

const WS_A = '11111111-1111-4111-8111-111111111111';
const WS_B = '22222222-2222-4222-8222-222222222222';

let dataDir: string;
const open = (): Database.Database => {
  const db = openDatabase(dataDir);
  const now = new Date(0).toISOString();
  db.prepare(`INSERT OR IGNORE INTO users (id, username, password_hash, role, created_at, updated_at) VALUES ('u1', 'anna', 'x', 'member', ?, ?)`).run(now, now);
  for (const id of [WS_A, WS_B]) db.prepare(`INSERT OR IGNORE INTO workspaces (id, owner_id, name, created_at, updated_at) VALUES (?, 'u1', ?, ?, ?)`).run(id, id, now, now);
  return db;
};
const opened: Database.Database[] = [];
const connect = () => { const db = open(); opened.push(db); return db; };

beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'almready-executions-')); });
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const doc: NotebookDocument = {
  format: 'almready-notebook', version: 2, title: 'Log',
  cells: [
    { id: 'shock', kind: 'ts', name: 'shock', source: 'export const bp = 200;' },
    { id: 'note', kind: 'markdown', source: 'The shock is ${bp} bp.' },
  ],
};
const analyse = (d: NotebookDocument) => analyseNotebook(d, { tableReferences: async () => ({ ok: true, tables: [], statements: 1 }) });

describe('execution log', () => {
  it('another connection sees a running execution event by event, and after it ends every state; other workspaces see nothing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inCell = new Promise<void>((resolve) => (entered = resolve));
    const host: CellHost = {
      runSql: async () => ({ ok: false, message: 'no SQL here' }),
      runTs: async () => { entered(); await gate; return { ok: true, output: { kind: 'ts', values: { bp: 200 }, tables: {}, console: [], views: [] } }; },
    };
    const writer = connect();
    const runner = new NotebookRunner({ host, store: new MemoryOutputStore(), analyse, engineVersion: '1.0.0', newExecutionId: () => 'exec-1' });
    const started = runner.start({ snapshot: { notebookId: 'n1', version: 3, document: doc }, target: { scope: 'notebook' }, datasetId: 'd1' });
    new ExecutionLog(writer, WS_A).record(started.execution, { notebookId: 'n1', version: 3, startedBy: 'u1' });
    await inCell;

    const reader = new ExecutionLog(connect(), WS_A); // as another server process would
    expect(reader.get('exec-1')).toMatchObject({ notebookId: 'n1', version: 3, status: 'running', finishedAt: null, startedBy: 'u1' });
    expect(reader.events('exec-1')?.map((e) => ('cellId' in e ? `${e.type}:${e.cellId}` : e.type))).toEqual(['execution-started', 'queued:shock', 'queued:note', 'running:shock']);

    release();
    await started.execution.result;
    const all = reader.events('exec-1')!;
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i));
    expect(all.filter((e) => e.type === 'done').map((e) => ('summary' in e ? e.summary : null))).toEqual([
      { kind: 'ts', values: ['bp'], scalars: { bp: 200 }, tables: [], consoleLines: 0, views: [] },
      { kind: 'markdown', html: '<p>The shock is <span class="nb-value">200</span> bp.</p>\n', problems: [] },
    ]);
    expect(reader.events('exec-1', 4)?.map((e) => e.seq)).toEqual([5, 6, 7]);
    expect(reader.get('exec-1')).toMatchObject({ status: 'done', finishedAt: expect.any(Number) });
    expect(reader.latest('n1', 3).map((r) => r.id)).toEqual(['exec-1']);

    const stranger = new ExecutionLog(connect(), WS_B);
    expect(stranger.get('exec-1')).toBeNull();
    expect(stranger.events('exec-1')).toBeNull();
    expect(stranger.latest('n1', 3)).toEqual([]);
  });

  it('after a restart the log still holds a cancelled execution with its cells cancelled', async () => {
    const host: CellHost = { runSql: async () => ({ ok: false, message: 'x' }), runTs: () => new Promise(() => undefined) };
    const db = open();
    const runner = new NotebookRunner({ host, store: new MemoryOutputStore(), analyse, engineVersion: '1.0.0', newExecutionId: () => 'exec-2' });
    const started = runner.start({ snapshot: { notebookId: 'n1', version: 1, document: doc }, target: { scope: 'notebook' }, datasetId: null });
    new ExecutionLog(db, WS_A).record(started.execution, { notebookId: 'n1', version: 1, startedBy: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    started.cancel();
    await started.execution.result;
    db.close();

    const after = new ExecutionLog(connect(), WS_A);
    expect(after.get('exec-2')).toMatchObject({ status: 'cancelled' });
    const events = after.events('exec-2')!;
    expect(events.filter((e) => e.type === 'cancelled').map((e) => ('cellId' in e ? e.cellId : ''))).toEqual(['shock', 'note']);
    expect(events.at(-1)).toMatchObject({ type: 'execution-finished', status: 'cancelled', counts: { cancelled: 2 } });
  });
});
