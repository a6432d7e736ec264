import { describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '@almready/notebooks';
import { applyEvent, describeStatus, markEdited, NO_EXECUTION, startExecution, statusesFromStored, type ExecutionView } from './cellStatus.ts';

const E = 'exec-1';
let seq = 0;
const ev = (body: Record<string, unknown>): ExecutionEvent => ({ executionId: E, seq: seq++, at: 1000 + seq, ...body }) as ExecutionEvent;
const summary = { kind: 'sql', table: { name: 't', rowCount: 3, columns: ['a'] } } as const;

function run(events: ExecutionEvent[], from: ExecutionView = startExecution(NO_EXECUTION, E)): ExecutionView {
  return events.reduce(applyEvent, from);
}

describe('cell states from execution events', () => {
  it('walks queued → running (progress, time left) → done, and from cache', () => {
    seq = 0;
    let view = run([ev({ type: 'execution-started', notebookId: 'n', version: 1, cells: ['a', 'b'] }), ev({ type: 'queued', cellId: 'a' }), ev({ type: 'queued', cellId: 'b' })]);
    expect(view.cells).toEqual({ a: { status: 'queued' }, b: { status: 'queued' } });
    view = run([ev({ type: 'running', cellId: 'a' }), ev({ type: 'running', cellId: 'a', progress: { fraction: 0.4, etaSeconds: 12 } })], view);
    expect(view.cells.a).toMatchObject({ status: 'running', fraction: 0.4, etaSeconds: 12 });
    expect(describeStatus(view.cells.a!)).toBe('running · 40% · 12.0 s left');
    view = run([ev({ type: 'done', cellId: 'a', cacheKey: 'k', durationMs: 1234, fromCache: false, summary }), ev({ type: 'done', cellId: 'b', cacheKey: 'k2', durationMs: 0, fromCache: true, summary })], view);
    expect(describeStatus(view.cells.a!)).toBe('done · 1.2 s');
    expect(describeStatus(view.cells.b!)).toBe('done · from cache');
    view = run([ev({ type: 'execution-finished', status: 'done', counts: { done: 2 } })], view);
    expect(view.running).toBe(false);
    expect(view.finished).toEqual({ status: 'done' });
  });

  it('names the failed ancestor of a blocked cell and keeps the failure position', () => {
    seq = 0;
    const view = run([
      ev({ type: 'failed', cellId: 'a', message: 'Parser Error: syntax error at or near "selec"', line: 2, column: 5 }),
      ev({ type: 'blocked', cellId: 'b', ancestor: 'a', reason: 'a failed' }),
    ]);
    expect(view.cells.a).toEqual({ status: 'failed', message: 'Parser Error: syntax error at or near "selec"', line: 2, column: 5 });
    expect(describeStatus(view.cells.b!, (id) => (id === 'a' ? 'by_product' : id))).toBe('blocked by by_product');
  });

  it('ignores replayed events and events of another execution', () => {
    seq = 0;
    const first = ev({ type: 'queued', cellId: 'a' });
    const done = ev({ type: 'done', cellId: 'a', cacheKey: 'k', durationMs: 5, fromCache: false, summary });
    let view = run([first, done]);
    view = applyEvent(view, first); // a reconnect replays seq 0
    expect(view.cells.a?.status).toBe('done');
    view = applyEvent(view, { ...ev({ type: 'failed', cellId: 'a', message: 'x' }), executionId: 'other' } as ExecutionEvent);
    expect(view.cells.a?.status).toBe('done');
  });

  it('marks cells still queued or running as cancelled when the execution ends', () => {
    seq = 0;
    const view = run([ev({ type: 'queued', cellId: 'a' }), ev({ type: 'running', cellId: 'b' }), ev({ type: 'cancelled', cellId: 'c' }), ev({ type: 'execution-finished', status: 'cancelled', counts: {} })]);
    expect(Object.values(view.cells).map((c) => c.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(view.finished?.status).toBe('cancelled');
  });

  it('starts from stored outputs and turns an edited cell stale', () => {
    const cells = statusesFromStored(['a', 'b'], [{ cellId: 'a', output: { kind: 'input', value: 1 }, durationMs: 7 }, { cellId: 'b', output: null, durationMs: null }]);
    expect(cells).toEqual({ a: { status: 'done', durationMs: 7, fromCache: true, stored: true }, b: { status: 'idle' } });
    const view = markEdited({ ...NO_EXECUTION, cells }, 'a');
    expect(view.cells.a).toMatchObject({ status: 'stale' });
    expect(markEdited(view, 'b').cells.b).toEqual({ status: 'idle' });
  });
});
