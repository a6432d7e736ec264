import { describe, expect, it } from 'vitest';
import { IDLE, isSettled, transition, type CellEvent, type CellState } from './cell-state.ts';

const run = (events: CellEvent[], from: CellState = IDLE) => events.reduce(transition, from);

describe('cell state', () => {
  it('idle → queued → running → done, with duration and progress', () => {
    const running = run([{ type: 'queue', executionId: 'e1' }, { type: 'start', executionId: 'e1', at: 1000 }, { type: 'progress', executionId: 'e1', fraction: 1.7 }]);
    expect(running).toEqual({ status: 'running', executionId: 'e1', startedAt: 1000, progress: 1 });
    expect(transition(running, { type: 'succeed', executionId: 'e1', cacheKey: 'k', at: 1250 })).toEqual({ status: 'done', cacheKey: 'k', fromCache: false, durationMs: 250, finishedAt: 1250 });
  });

  it('an output found in storage is done from cache', () => {
    expect(run([{ type: 'queue', executionId: 'e1' }, { type: 'cached', cacheKey: 'k', at: 5 }])).toEqual({ status: 'done', cacheKey: 'k', fromCache: true, durationMs: 0, finishedAt: 5 });
  });

  it('failure keeps the message and position; dependents are blocked naming the ancestor', () => {
    const failed = run([{ type: 'queue', executionId: 'e1' }, { type: 'start', executionId: 'e1', at: 0 }, { type: 'fail', executionId: 'e1', message: 'x is not defined', line: 3, column: 7, at: 9 }]);
    expect(failed).toEqual({ status: 'failed', message: 'x is not defined', line: 3, column: 7, finishedAt: 9 });
    expect(run([{ type: 'queue', executionId: 'e1' }, { type: 'block', ancestor: 'by_product', reason: 'by_product failed' }])).toEqual({ status: 'blocked', ancestor: 'by_product', reason: 'by_product failed' });
  });

  it('cancel ends a queued or running cell; late events of that execution change nothing', () => {
    const cancelled = run([{ type: 'queue', executionId: 'e1' }, { type: 'start', executionId: 'e1', at: 0 }, { type: 'cancel', at: 4 }]);
    expect(cancelled).toEqual({ status: 'cancelled', finishedAt: 4 });
    expect(run([{ type: 'succeed', executionId: 'e1', cacheKey: 'k', at: 5 }, { type: 'fail', executionId: 'e1', message: 'm', at: 6 }, { type: 'progress', executionId: 'e1', fraction: 0.5 }], cancelled)).toBe(cancelled);
    expect(transition(IDLE, { type: 'cancel', at: 1 })).toBe(IDLE);
  });

  it('events of another execution are ignored; a new queue of a running cell waits for it', () => {
    const running = run([{ type: 'queue', executionId: 'e1' }, { type: 'start', executionId: 'e1', at: 0 }]);
    expect(transition(running, { type: 'succeed', executionId: 'e2', cacheKey: 'k', at: 1 })).toBe(running);
    expect(transition(running, { type: 'queue', executionId: 'e2' })).toBe(running);
    expect(transition(running, { type: 'invalidate', reason: 'source edited' })).toBe(running);
    expect(transition({ status: 'queued', executionId: 'e1' }, { type: 'invalidate', reason: 'lazy' })).toEqual({ status: 'stale', reason: 'lazy' });
  });

  it('an edit makes a done cell stale, keeping the key of the output still shown', () => {
    const done: CellState = { status: 'done', cacheKey: 'k1', fromCache: false, durationMs: 3, finishedAt: 3 };
    expect(transition(done, { type: 'invalidate', reason: 'input shocks changed' })).toEqual({ status: 'stale', cacheKey: 'k1', reason: 'input shocks changed' });
    expect(transition({ status: 'failed', message: 'm', finishedAt: 1 }, { type: 'invalidate', reason: 'edited' })).toEqual({ status: 'stale', reason: 'edited' });
    expect(isSettled(done)).toBe(true);
    expect(isSettled({ status: 'stale', reason: 'r' })).toBe(false);
  });
});
