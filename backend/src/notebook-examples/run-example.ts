/**
 * Test helper: runs a notebook of a workspace end to end over the real executions API (the server's
 * own execution path: runner, DuckDB, QuickJS sandbox, run service) and returns its events and
 * every cell's stored output by cell id.
 */
import { executionEventSchema, type ExecutionEvent } from '@almready/notebooks';
import type { TestServer } from '../testing/server.ts';

export interface ExampleRun {
  events: ExecutionEvent[];
  /** cell id → stored output (null when the cell has none) */
  outputs: Record<string, any>;
}

export async function runNotebook(t: TestServer, token: string, wid: string, nid: string, body: Record<string, unknown>): Promise<ExampleRun> {
  const base = `/api/workspaces/${wid}/notebooks/${nid}`;
  const started = await t.request('POST', `${base}/executions`, { token, body });
  if (started.status !== 202) throw new Error(`execution refused: ${started.status} ${JSON.stringify(started.body)}`);
  const stream = await t.request('GET', `${base}/executions/${started.body.executionId}/events`, { token });
  const events = String(stream.body).split('\n\n').filter((b) => b.includes('data: '))
    .map((b) => executionEventSchema.parse(JSON.parse(b.slice(b.indexOf('data: ') + 6))));
  const query = new URLSearchParams();
  if (typeof body.datasetId === 'string') query.set('datasetId', body.datasetId);
  if (body.parameters !== undefined) query.set('parameters', JSON.stringify(body.parameters));
  const stored = await t.request('GET', `${base}/outputs?${query}`, { token });
  if (stored.status !== 200) throw new Error(`outputs: ${stored.status} ${JSON.stringify(stored.body)}`);
  const outputs = Object.fromEntries(stored.body.cells.map((c: { cellId: string; output: unknown }) => [c.cellId, c.output]));
  return { events, outputs };
}

/** The cells that did not finish `done`, with why, for an assertion message. */
export function unfinished(run: ExampleRun): string[] {
  const done = new Set(run.events.flatMap((e) => (e.type === 'done' ? [e.cellId] : [])));
  const started = run.events.find((e) => e.type === 'execution-started');
  const planned = started?.type === 'execution-started' ? started.cells : [];
  return planned.filter((id) => !done.has(id)).map((id) => {
    const last = run.events.filter((e) => 'cellId' in e && e.cellId === id).at(-1);
    return `${id}: ${JSON.stringify(last)}`;
  });
}
