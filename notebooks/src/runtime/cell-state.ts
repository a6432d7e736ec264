/**
 * A cell's execution state as a pure `transition(state, event) → state`. Events that do not apply
 * to the current state leave it unchanged — a late `succeeded` after `cancel`, say, must never
 * resurrect a cancelled cell — so the runner can forward every event it receives.
 */
import { assertNever } from '../assert-never.ts';

export type CellState =
  | { status: 'idle' }
  | { status: 'queued'; executionId: string }
  | { status: 'running'; executionId: string; startedAt: number; progress?: number }
  | { status: 'done'; cacheKey: string; fromCache: boolean; durationMs: number; finishedAt: number }
  | { status: 'stale'; cacheKey?: string; reason: string }
  | { status: 'failed'; message: string; line?: number; column?: number; finishedAt: number }
  | { status: 'cancelled'; finishedAt: number }
  | { status: 'blocked'; ancestor: string; reason: string };

export type CellEvent =
  | { type: 'queue'; executionId: string }
  | { type: 'start'; executionId: string; at: number }
  | { type: 'progress'; executionId: string; fraction: number }
  | { type: 'succeed'; executionId: string; cacheKey: string; at: number }
  /** The output was found in storage under the cell's cache key: done without running. */
  | { type: 'cached'; cacheKey: string; at: number }
  | { type: 'fail'; executionId: string; message: string; line?: number; column?: number; at: number }
  | { type: 'cancel'; at: number }
  /** The cell's source or an input changed (lazy mode marks it stale instead of running it, queued or not). */
  | { type: 'invalidate'; reason: string }
  /** An ancestor failed, was cancelled or is blocked itself: this cell cannot run. */
  | { type: 'block'; ancestor: string; reason: string };

export const IDLE: CellState = { status: 'idle' };

export function transition(state: CellState, event: CellEvent): CellState {
  switch (event.type) {
    case 'queue':
      return state.status === 'queued' || state.status === 'running' ? state : { status: 'queued', executionId: event.executionId };
    case 'start':
      return state.status === 'queued' && state.executionId === event.executionId ? { status: 'running', executionId: event.executionId, startedAt: event.at } : state;
    case 'progress':
      return state.status === 'running' && state.executionId === event.executionId ? { ...state, progress: Math.min(1, Math.max(0, event.fraction)) } : state;
    case 'succeed':
      return state.status === 'running' && state.executionId === event.executionId
        ? { status: 'done', cacheKey: event.cacheKey, fromCache: false, durationMs: Math.max(0, event.at - state.startedAt), finishedAt: event.at }
        : state;
    case 'cached':
      return state.status === 'running' ? state : { status: 'done', cacheKey: event.cacheKey, fromCache: true, durationMs: 0, finishedAt: event.at };
    case 'fail':
      if ((state.status !== 'running' && state.status !== 'queued') || state.executionId !== event.executionId) return state;
      return { status: 'failed', message: event.message, ...(event.line !== undefined ? { line: event.line } : {}), ...(event.column !== undefined ? { column: event.column } : {}), finishedAt: event.at };
    case 'cancel':
      return state.status === 'queued' || state.status === 'running' ? { status: 'cancelled', finishedAt: event.at } : state;
    case 'invalidate':
      // the run in flight finishes on the old inputs (the runner re-queues); a queued cell has not started and is simply not run
      if (state.status === 'running') return state;
      return { status: 'stale', reason: event.reason, ...(state.status === 'done' ? { cacheKey: state.cacheKey } : {}) };
    case 'block':
      return state.status === 'running' ? state : { status: 'blocked', ancestor: event.ancestor, reason: event.reason };
    default:
      return assertNever(event);
  }
}

/** Whether a cell's output can be shown as current. */
export function isSettled(state: CellState): boolean {
  switch (state.status) {
    case 'done': return true;
    case 'idle': case 'queued': case 'running': case 'stale': case 'failed': case 'cancelled': case 'blocked': return false;
    default: return assertNever(state);
  }
}
