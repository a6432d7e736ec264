/**
 * The notebook execution API against the real server: start, the SSE stream (replayed from
 * Last-Event-ID / ?after, then live), stored outputs, fromCache on a re-run, parameters that save
 * nothing, cancel, the per-user cap, two users at once, roles, and a restart on the same data
 * directory. SQL and ts cells run on the runner's test host (answers computed from the cell's
 * own inputs), everything else is the server's: DuckDB's parser, the TypeScript analysis, the
 * SQLite execution log and the workspace output store.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionEvent, NotebookCell } from '@almready/notebooks';
import { executionEventSchema } from '@almready/notebooks';
import { cancelExecutionAnswerSchema, notebookOutputsAnswerSchema, startExecutionAnswerSchema } from '@almready/contracts';
import { TestCellHost, type Row, type TestTsContext } from '../../../notebooks/src/runtime/test-cell-host.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { createTeam, type Member, type Team } from '../workspaces/test-fixtures.ts';

const POSITIONS: Row[] = [
  { product: 'loan', notional: 1000 },
  { product: 'loan', notional: 500 },
  { product: 'deposit', notional: -800 },
  { product: 'bond', notional: 1000 },
];

function byProduct(): Row[] {
  const sums = new Map<string, number>();
  for (const p of POSITIONS) sums.set(String(p.product), (sums.get(String(p.product)) ?? 0) + Number(p.notional));
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([product, notional]) => ({ product, notional }));
}
function totals(ctx: TestTsContext) {
  const total = ctx.rowsOf(ctx.inputs.by_product).reduce((s, r) => s + Number(r.notional), 0);
  return { values: { total, above: total > Number(ctx.value('threshold')) }, console: [{ level: 'log' as const, text: `total ${total}` }] };
}

const CELLS: NotebookCell[] = [
  { id: 'summary', kind: 'markdown', source: 'Total is ${total:money}; above the threshold: ${above}.' },
  { id: 'threshold', kind: 'input', name: 'threshold', source: '{"type": "number", "default": 1000}' },
  { id: 'by_product', kind: 'sql', name: 'by_product', source: 'SELECT product, sum(notional) AS notional FROM positions GROUP BY product ORDER BY product' },
  { id: 'totals', kind: 'ts', name: 'totals', source: 'const rows = by_product.rows(100);\nexport const total = rows.reduce((s, r) => s + r.notional, 0);\nexport const above = total > threshold;' },
  { id: 'chart', kind: 'chart', source: '{"data": "by_product", "type": "bar", "x": "product", "y": "notional"}' },
] as NotebookCell[];
const document = (cells: NotebookCell[] = CELLS) => ({ format: 'almready-notebook', version: 2, title: 'Balance', cells });

let t: TestServer;
let team: Team;
let nid: string;
let host: TestCellHost;
/** while set, the by_product answer waits for it (to catch an execution running) */
let gate: Promise<void> | null = null;

function useHost(server: TestServer) {
  // as DuckDB would answer the cell's own source: a LIMIT keeps the first rows
  host = new TestCellHost({ sql: { by_product: async ({ source }) => { await gate; const limit = /LIMIT (\d+)/.exec(source)?.[1]; return byProduct().slice(0, limit === undefined ? undefined : Number(limit)); } }, ts: { totals } });
  (server.deps as unknown as WorkspaceDeps).notebookHost = () => host;
}

const base = () => `/api/workspaces/${team.wid}/notebooks/${nid}`;

async function start(who: Member, body: Record<string, unknown> = { target: 'notebook' }, id = nid) {
  return t.request('POST', `/api/workspaces/${team.wid}/notebooks/${id}/executions`, { token: who.token, body });
}

interface SseMessage { id: number; event: string; data: ExecutionEvent }

function parseSse(text: string): SseMessage[] {
  return text.split('\n\n').filter((block) => block.includes('data: ')).map((block) => {
    const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? '';
    return { id: Number(field('id')), event: field('event'), data: executionEventSchema.parse(JSON.parse(field('data'))) };
  });
}

async function events(who: Member, executionId: string, options: { lastEventId?: number; after?: number } = {}) {
  const query = options.after === undefined ? '' : `?after=${options.after}`;
  const res = await t.request('GET', `${base()}/executions/${executionId}/events${query}`, {
    token: who.token,
    ...(options.lastEventId === undefined ? {} : { headers: { 'last-event-id': String(options.lastEventId) } }),
  });
  expect(res.status, String(res.body)).toBe(200);
  return { res, messages: parseSse(String(res.body)) };
}

const doneOf = (messages: SseMessage[], cellId: string) => messages.map((m) => m.data).find((e) => e.type === 'done' && e.cellId === cellId) as Extract<ExecutionEvent, { type: 'done' }> | undefined;

// kept across the restart test's two servers, removed at the end
const dataDir = mkdtempSync(join(tmpdir(), 'almready-nb-exec-'));
// the same signing secret, so the tokens of the first server still sign in on the second
const jwtSecret = randomBytes(32).toString('base64url');

beforeAll(async () => {
  t = await startTestServer({ env: { dataDir, jwtSecret } });
  useHost(t);
  team = await createTeam(t);
  const created = await t.request('POST', `/api/workspaces/${team.wid}/notebooks`, { token: team.edit.token, body: { name: 'Balance', content: document() } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  nid = created.body.notebook.id;
}, 60_000);

afterAll(async () => {
  await t?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('notebook executions over HTTP', () => {
  let firstExecution = '';

  it('runs the notebook: 202 with an id, then the SSE stream to the end, each event with its seq as id', async () => {
    const res = await start(team.explore);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ executionId: expect.any(String), version: 1, datasetId: null });
    expect(startExecutionAnswerSchema.safeParse(res.body).success).toBe(true);
    firstExecution = res.body.executionId;
    const { res: stream, messages } = await events(team.explore, firstExecution);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(messages.map((m) => m.id)).toEqual(messages.map((_, i) => i));
    expect(messages.every((m) => m.event === m.data.type && m.data.seq === m.id)).toBe(true);
    expect(messages[0]!.data).toMatchObject({ type: 'execution-started', version: 1, cells: ['threshold', 'by_product', 'totals', 'summary', 'chart'] });
    expect(messages.at(-1)!.data).toMatchObject({ type: 'execution-finished', status: 'done', counts: { done: 5 } });
    expect(doneOf(messages, 'totals')).toMatchObject({ fromCache: false, summary: { kind: 'ts', scalars: { total: 1700, above: true }, consoleLines: 1 } });
    expect(host.ranCells()).toEqual(['by_product', 'totals']);
  });

  it('the stored outputs of the version come back without running anything', async () => {
    const res = await t.request('GET', `${base()}/outputs?version=1`, { token: team.explore.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(notebookOutputsAnswerSchema.safeParse(res.body).success).toBe(true);
    const byCell = Object.fromEntries(res.body.cells.map((c: { cellId: string; output: unknown }) => [c.cellId, c.output]));
    expect(byCell.summary).toMatchObject({ kind: 'markdown', html: '<p>Total is <span class="nb-value">1,700</span>; above the threshold: <span class="nb-value">true</span>.</p>\n' });
    expect(byCell.by_product).toMatchObject({ kind: 'sql', table: { name: 'by_product', rowCount: 3, firstPage: [{ product: 'bond', notional: 1000 }, { product: 'deposit', notional: -800 }, { product: 'loan', notional: 1500 }] } });
    expect(byCell.totals).toMatchObject({ kind: 'ts', values: { total: 1700, above: true } });
    expect(res.body.executions[0]).toMatchObject({ id: firstExecution, status: 'done', version: 1 });
    expect(host.ranCells()).toHaveLength(2);
  });

  it('a re-run takes every unchanged cell from storage (fromCache) and runs nothing', async () => {
    const res = await start(team.edit);
    const { messages } = await events(team.edit, res.body.executionId);
    const done = messages.map((m) => m.data).filter((e) => e.type === 'done');
    expect(done).toHaveLength(5);
    expect(done.every((e) => e.type === 'done' && e.fromCache)).toBe(true);
    expect(host.ranCells()).toHaveLength(2);
  });

  it('replays from Last-Event-ID and from ?after, missing nothing and repeating nothing', async () => {
    const all = (await events(team.explore, firstExecution)).messages;
    const fromHeader = (await events(team.explore, firstExecution, { lastEventId: 3 })).messages;
    expect(fromHeader.map((m) => m.id)).toEqual(all.slice(4).map((m) => m.id));
    const fromQuery = (await events(team.explore, firstExecution, { after: all.length - 2 })).messages;
    expect(fromQuery.map((m) => m.data.type)).toEqual(['execution-finished']);
    const bad = await t.request('GET', `${base()}/executions/${firstExecution}/events?after=two`, { token: team.explore.token });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('Last-Event-ID');
  });

  it('explore changes an input for its run: the figures move, the notebook and the default outputs do not', async () => {
    const res = await start(team.explore, { target: 'cell-and-dependents', cellId: 'threshold', parameters: { threshold: 2000 } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const { messages } = await events(team.explore, res.body.executionId);
    expect(doneOf(messages, 'totals')).toMatchObject({ fromCache: false, summary: { scalars: { total: 1700, above: false } } });
    expect(host.ranCells()).toEqual(['by_product', 'totals', 'totals']);
    const nb = await t.request('GET', base(), { token: team.explore.token });
    expect(nb.body.notebook.version).toBe(1);
    const outputs = await t.request('GET', `${base()}/outputs`, { token: team.explore.token });
    expect(outputs.body.cells.find((c: { cellId: string }) => c.cellId === 'totals').output.values).toEqual({ total: 1700, above: true });
     // the run's own outputs, by its inputs
    const mine = await t.request('GET', `${base()}/outputs?parameters=${encodeURIComponent(JSON.stringify({ threshold: 2000 }))}`, { token: team.explore.token });
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(mine.body.cells.find((c: { cellId: string }) => c.cellId === 'totals').output.values).toEqual({ total: 1700, above: false });
    expect(mine.body.cells.find((c: { cellId: string }) => c.cellId === 'summary').output.html).toContain('above the threshold: <span class="nb-value">false</span>');
    const bad = await t.request('GET', `${base()}/outputs?parameters=${encodeURIComponent(JSON.stringify({ threshold: 'lots' }))}`, { token: team.explore.token });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('threshold');
  });

  it('refuses bad requests whole, naming what to fix', async () => {
    const noCell = await start(team.explore, { target: 'cell' });
    expect(noCell.status).toBe(422);
    expect(JSON.stringify(noCell.body)).toContain('needs the cellId');
    const unknownCell = await start(team.explore, { target: 'cell', cellId: 'nope' });
    expect(unknownCell.status).toBe(422);
    expect(unknownCell.body.error.message).toContain('no cell "nope"');
    const badParam = await start(team.explore, { target: 'notebook', parameters: { nosuch: 1 } });
    expect(badParam.status).toBe(422);
    expect(badParam.body.error.message).toContain('nosuch');
    const noVersion = await start(team.explore, { target: 'notebook', version: 9 });
    expect(noVersion.status).toBe(404);
    expect(noVersion.body.error.message).toContain('Version 9');
  });

  it('cancel stops a running execution: the cell is cancelled and nothing of it is stored', async () => {
    const edited = CELLS.map((c) => (c.id === 'by_product' ? { ...c, source: `${c.source} LIMIT 2` } : c)) as NotebookCell[];
    const saved = await t.request('PUT', base(), { token: team.edit.token, body: { version: 1, content: document(edited) } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    let open = () => {};
    gate = new Promise<void>((resolve) => (open = resolve));
    try {
      const res = await start(team.explore, { target: 'notebook', version: 2 });
      expect(res.status).toBe(202);
      const cancelled = await t.request('POST', `${base()}/executions/${res.body.executionId}/cancel`, { token: team.explore.token });
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
      expect(cancelExecutionAnswerSchema.safeParse(cancelled.body).success).toBe(true);
      expect(cancelled.body.execution).toMatchObject({ id: res.body.executionId, status: 'cancelled', finishedAt: expect.any(Number) });
      const { messages } = await events(team.explore, res.body.executionId);
      expect(messages.some((m) => m.data.type === 'cancelled' && m.data.cellId === 'by_product')).toBe(true);
      expect(messages.at(-1)!.data).toMatchObject({ type: 'execution-finished', status: 'cancelled' });
      open();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const outputs = await t.request('GET', `${base()}/outputs?version=2`, { token: team.explore.token });
      expect(outputs.body.cells.find((c: { cellId: string }) => c.cellId === 'by_product').output).toBeNull();
      expect(outputs.body.cells.find((c: { cellId: string }) => c.cellId === 'totals').output).toBeNull();
    } finally {
      open();
      gate = null;
    }
  });

  it('a user has at most 3 executions running: the fourth is a 429; others still start', async () => {
    let open = () => {};
    gate = new Promise<void>((resolve) => (open = resolve));
    const ids: string[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const res = await start(team.explore, { target: 'notebook', version: 2, parameters: { threshold: 10 + i } });
        expect(res.status).toBe(202);
        ids.push(res.body.executionId);
      }
      const fourth = await start(team.explore, { target: 'notebook', version: 2 });
      expect(fourth.status).toBe(429);
      expect(fourth.body.error.message).toContain('at most 3');
      const other = await start(team.edit, { target: 'notebook', version: 2 });
      expect(other.status).toBe(202);
      ids.push(other.body.executionId);
    } finally {
      open();
      gate = null;
    }
    for (const id of ids) expect((await events(team.explore, id)).messages.at(-1)!.data).toMatchObject({ type: 'execution-finished', status: 'done' });
  });

  it('two users running the same version at once get the same content-keyed outputs', async () => {
    const cells = CELLS.map((c) => (c.id === 'by_product' ? { ...c, source: `${c.source} LIMIT 3` } : c)) as NotebookCell[];
    const saved = await t.request('PUT', base(), { token: team.edit.token, body: { version: 2, content: document(cells) } });
    expect(saved.status).toBe(200);
    let open = () => {};
    gate = new Promise<void>((resolve) => (open = resolve));
    const [a, b] = await Promise.all([start(team.edit, { target: 'notebook', version: 3 }), start(team.explore, { target: 'notebook', version: 3 })]);
    open();
    gate = null;
    const [ea, eb] = await Promise.all([events(team.edit, a.body.executionId), events(team.explore, b.body.executionId)]);
    const keys = (m: SseMessage[]) => Object.fromEntries(m.map((x) => x.data).filter((e) => e.type === 'done').map((e) => [e.type === 'done' ? e.cellId : '', e.type === 'done' ? e.cacheKey : '']));
    expect(keys(ea.messages)).toEqual(keys(eb.messages));
    expect(Object.keys(keys(ea.messages))).toHaveLength(5);
    const rows = t.deps.db.prepare('SELECT cache_key FROM notebook_outputs WHERE workspace_id = ? AND cache_key IN (SELECT value FROM json_each(?))').all(team.wid, JSON.stringify(Object.values(keys(ea.messages))));
    expect(rows).toHaveLength(5);
    expect(doneOf(ea.messages, 'totals')?.summary).toEqual(doneOf(eb.messages, 'totals')?.summary);
  });
});

describe('one version per execution', () => {
  it('a save during a run changes nothing of it: each version\'s outputs are its own', async () => {
    const row = t.deps.db.prepare('SELECT version FROM notebooks WHERE id = ?').get(nid) as { version: number };
    const v = row.version;
    let open = () => {};
    gate = new Promise<void>((resolve) => (open = resolve));
    let older: string;
    let newer: string;
    try {
      const oneRow = CELLS.map((c) => (c.id === 'by_product' ? { ...c, source: `${c.source} LIMIT 1` } : c)) as NotebookCell[];
      expect((await t.request('PUT', base(), { token: team.edit.token, body: { version: v, content: document(oneRow) } })).status).toBe(200);
      older = (await start(team.explore, { target: 'notebook', version: v + 1 })).body.executionId;
      // while it runs, the editor saves another version and runs it
      const twoRows = CELLS.map((c) => (c.id === 'by_product' ? { ...c, source: `${c.source} LIMIT 2` } : c)) as NotebookCell[];
      expect((await t.request('PUT', base(), { token: team.edit.token, body: { version: v + 1, content: document(twoRows) } })).status).toBe(200);
      newer = (await start(team.edit, { target: 'notebook' })).body.executionId;
    } finally {
      open();
      gate = null;
    }
    const a = await events(team.explore, older);
    const b = await events(team.edit, newer);
    expect(a.messages[0]!.data).toMatchObject({ type: 'execution-started', version: v + 1 });
    expect(b.messages[0]!.data).toMatchObject({ type: 'execution-started', version: v + 2 });
    expect(doneOf(a.messages, 'totals')?.summary).toMatchObject({ scalars: { total: 1000 } }); // bond alone
    expect(doneOf(b.messages, 'totals')?.summary).toMatchObject({ scalars: { total: 200 } }); // bond + deposit
    const totalsOf = async (version: number) => (await t.request('GET', `${base()}/outputs?version=${version}`, { token: team.explore.token })).body.cells.find((c: { cellId: string }) => c.cellId === 'totals').output.values.total;
    expect(await totalsOf(v + 1)).toBe(1000);
    expect(await totalsOf(v + 2)).toBe(200);
  });
});

describe('roles', () => {
  it('view may not start, stream or cancel; reads outputs of the published version only', async () => {
    expect((await start(team.view)).status).toBe(403);
    expect((await t.request('GET', `${base()}/executions/x/events`, { token: team.view.token })).status).toBe(403);
    expect((await t.request('GET', `${base()}/outputs`, { token: team.view.token })).status).toBe(404); // nothing published yet
    const published = await t.request('POST', `${base()}/publish`, { token: team.edit.token });
    const current = published.body.notebook.version as number;
    expect(published.body.notebook.publishedVersion).toBe(current);
    expect(current).toBe(5);
    const outputs = await t.request('GET', `${base()}/outputs`, { token: team.view.token });
    expect(outputs.status).toBe(200);
    expect(outputs.body.version).toBe(5);
    // what the editor's run of version 5 stored (bond + deposit)
    expect(outputs.body.cells.find((c: { cellId: string }) => c.cellId === 'totals').output.values).toEqual({ total: 200, above: false });
    expect((await t.request('GET', `${base()}/outputs?version=1`, { token: team.view.token })).status).toBe(404);
  });

  it('a stranger gets 404 on every route, and nothing starts', async () => {
    const before = t.deps.db.prepare('SELECT count(*) AS n FROM notebook_executions').get() as { n: number };
    expect((await start(team.stranger)).status).toBe(404);
    const eid = (t.deps.db.prepare('SELECT id FROM notebook_executions LIMIT 1').get() as { id: string }).id;
    for (const [method, path] of [['GET', `/executions/${eid}/events`], ['POST', `/executions/${eid}/cancel`], ['GET', '/outputs'], ['GET', '/outputs/by_product/page']] as const) {
      const res = await t.request(method, `${base()}${path}`, { token: team.stranger.token });
      expect(res.status, path).toBe(404);
    }
    expect(t.deps.db.prepare('SELECT count(*) AS n FROM notebook_executions').get()).toEqual(before);
  });
});

describe('restart', () => {
  it('a new server on the same data directory shows the same outputs and replays finished executions', async () => {
    const before = await t.request('GET', `${base()}/outputs?version=1`, { token: team.explore.token });
    const firstId = before.body.executions.at(-1).id as string;
    const replayBefore = (await events(team.explore, firstId)).messages;
    // an execution a crashed server left running: its row and first events, no end
    const cut = 'cut-off-execution';
    t.deps.db.prepare("INSERT INTO notebook_executions (id, workspace_id, notebook_id, version, started_by, started_at, status) VALUES (?, ?, ?, 1, ?, 1, 'running')").run(cut, team.wid, nid, team.explore.id);
    t.deps.db.prepare('INSERT INTO notebook_execution_events (execution_id, seq, event_json) VALUES (?, 0, ?)').run(cut, JSON.stringify({ type: 'execution-started', executionId: cut, seq: 0, at: 1, notebookId: nid, version: 1, cells: ['by_product'] }));
    await t.stop();
    t = await startTestServer({ env: { dataDir, jwtSecret } });
    const ended = (await events(team.explore, cut)).messages;
    expect(ended.map((m) => m.data.type)).toEqual(['execution-started', 'execution-finished']);
    expect(ended[1]!.data).toMatchObject({ seq: 1, status: 'failed', error: 'the server stopped while this execution ran; start it again' });
    useHost(t);
    const after = await t.request('GET', `${base()}/outputs?version=1`, { token: team.explore.token });
    expect(after.status).toBe(200);
    expect(after.body.cells).toEqual(before.body.cells);
    expect(after.body.cells.filter((c: { output: unknown }) => c.output !== null)).toHaveLength(5);
    const replayAfter = (await events(team.explore, firstId)).messages;
    expect(replayAfter.map((m) => m.data)).toEqual(replayBefore.map((m) => m.data));
    const rerun = await start(team.explore, { target: 'notebook', version: 1 });
    const { messages } = await events(team.explore, rerun.body.executionId);
    expect(messages.filter((m) => m.data.type === 'done').every((m) => m.data.type === 'done' && m.data.fromCache)).toBe(true);
    expect(host.ranCells()).toEqual([]);
  }, 60_000);
});

describe('deleting a workspace', () => {
  it('stops its running executions first, and leaves no execution of it behind', async () => {
    const other = await createTeam(t, 'gone-');
    const created = await t.request('POST', `/api/workspaces/${other.wid}/notebooks`, { token: other.owner.token, body: { name: 'Doomed', content: document() } });
    let open = () => {};
    gate = new Promise<void>((resolve) => (open = resolve));
    try {
      const res = await t.request('POST', `/api/workspaces/${other.wid}/notebooks/${created.body.notebook.id}/executions`, { token: other.owner.token, body: { target: 'notebook' } });
      expect(res.status).toBe(202);
      const exec = (t.deps as unknown as WorkspaceDeps).notebookExec as unknown as { runningCount(): number };
      expect(exec.runningCount()).toBe(1);
      const deleted = await t.request('DELETE', `/api/workspaces/${other.wid}`, { token: other.owner.token });
      expect(deleted.status).toBe(204);
      expect(exec.runningCount()).toBe(0);
      expect(t.deps.db.prepare('SELECT count(*) AS n FROM notebook_executions WHERE workspace_id = ?').get(other.wid)).toEqual({ n: 0 });
    } finally {
      open();
      gate = null;
    }
  });
});

describe('an execution of another server process on the same data directory', () => {
  it('streams from the log as that process writes it, until it finishes', async () => {
    const id = 'other-process-execution';
    const db = t.deps.db;
    const event = (seq: number, body: Record<string, unknown>) => db.prepare('INSERT INTO notebook_execution_events (execution_id, seq, event_json) VALUES (?, ?, ?)').run(id, seq, JSON.stringify({ executionId: id, seq, at: 10 + seq, ...body }));
    db.prepare("INSERT INTO notebook_executions (id, workspace_id, notebook_id, version, started_by, started_at, status) VALUES (?, ?, ?, 1, ?, 10, 'running')").run(id, team.wid, nid, team.edit.id);
    event(0, { type: 'execution-started', notebookId: nid, version: 1, cells: ['threshold'] });
    const reading = events(team.explore, id);
    await new Promise((r) => setTimeout(r, 400));
    event(1, { type: 'queued', cellId: 'threshold' });
    await new Promise((r) => setTimeout(r, 400));
    event(2, { type: 'execution-finished', status: 'done', counts: { done: 1 } });
    db.prepare("UPDATE notebook_executions SET status = 'done', finished_at = 13 WHERE id = ?").run(id);
    const { messages } = await reading;
    expect(messages.map((m) => [m.id, m.data.type])).toEqual([[0, 'execution-started'], [1, 'queued'], [2, 'execution-finished']]);
  });
});
