/**
 * What the editor shows in each cell's header, reduced from the execution's SSE events
 * (`executionEventSchema` of @almready/notebooks) and from the stored outputs at open. Pure, so
 * the state a user sees is testable without a browser: one event in, the next view state out.
 */
import type { ExecutionEvent } from '@almready/notebooks';

export type CellStatus =
  | { status: 'idle' }
  | { status: 'queued' }
  | { status: 'running'; since: number; fraction?: number; etaSeconds?: number }
  | { status: 'done'; durationMs: number; fromCache: boolean; stored?: boolean }
  | { status: 'stale'; reason: string }
  | { status: 'failed'; message: string; line?: number; column?: number }
  | { status: 'cancelled' }
  | { status: 'blocked'; ancestor: string; reason: string };

export type CellStatuses = Readonly<Record<string, CellStatus>>;

export interface ExecutionView {
  executionId: string | null;
  running: boolean;
  /** the last event seq applied, for a reconnect (`?after=`) */
  lastSeq: number;
  /** why the execution could not start or how it ended, when not all done */
  finished?: { status: 'done' | 'failed' | 'cancelled'; error?: string };
  cells: CellStatuses;
}

export const NO_EXECUTION: ExecutionView = { executionId: null, running: false, lastSeq: -1, cells: {} };

/** The state at open: a cell with a stored output is done ("stored"), the rest idle. */
export function statusesFromStored(cellIds: readonly string[], stored: readonly { cellId: string; output: unknown; durationMs: number | null }[]): Record<string, CellStatus> {
  const byId = new Map(stored.map((s) => [s.cellId, s]));
  const out: Record<string, CellStatus> = {};
  for (const id of cellIds) {
    const s = byId.get(id);
    out[id] = s && s.output !== null ? { status: 'done', durationMs: s.durationMs ?? 0, fromCache: true, stored: true } : { status: 'idle' };
  }
  return out;
}

/** A new execution: its cells start from what the screen showed (the runner sends queued next). */
export function startExecution(view: ExecutionView, executionId: string): ExecutionView {
  return { executionId, running: true, lastSeq: -1, cells: view.cells };
}

export function applyEvent(view: ExecutionView, event: ExecutionEvent): ExecutionView {
  if (view.executionId !== null && event.executionId !== view.executionId) return view; // a late event of an older execution
  if (event.seq <= view.lastSeq) return view; // a replay after a reconnect
  const next = { ...view, lastSeq: event.seq };
  const set = (cellId: string, status: CellStatus): ExecutionView => ({ ...next, cells: { ...view.cells, [cellId]: status } });
  switch (event.type) {
    case 'execution-started': return { ...next, running: true };
    case 'execution-finished': {
      // a cell still queued or running when the execution ended did not finish: it was cancelled
      const cells: Record<string, CellStatus> = { ...view.cells };
      for (const [id, s] of Object.entries(cells)) if (s.status === 'queued' || s.status === 'running') cells[id] = { status: 'cancelled' };
      return { ...next, running: false, cells, finished: { status: event.status, ...(event.error !== undefined ? { error: event.error } : {}) } };
    }
    case 'queued': return set(event.cellId, { status: 'queued' });
    case 'running': {
      const before = view.cells[event.cellId];
      const since = before?.status === 'running' ? before.since : event.at;
      return set(event.cellId, {
        status: 'running', since,
        ...(event.progress ? { fraction: event.progress.fraction } : {}),
        ...(event.progress?.etaSeconds !== undefined ? { etaSeconds: event.progress.etaSeconds } : {}),
      });
    }
    case 'done': return set(event.cellId, { status: 'done', durationMs: event.durationMs, fromCache: event.fromCache });
    case 'failed': return set(event.cellId, { status: 'failed', message: event.message, ...(event.line !== undefined ? { line: event.line } : {}), ...(event.column !== undefined ? { column: event.column } : {}) });
    case 'stale': return set(event.cellId, { status: 'stale', reason: event.reason });
    case 'cancelled': return set(event.cellId, { status: 'cancelled' });
    case 'blocked': return set(event.cellId, { status: 'blocked', ancestor: event.ancestor, reason: event.reason });
  }
}

/** A cell edited on screen: its shown output no longer matches its source. */
export function markEdited(view: ExecutionView, cellId: string): ExecutionView {
  const before = view.cells[cellId];
  if (before?.status === 'stale' || before?.status === 'idle' || before === undefined) return view;
  return { ...view, cells: { ...view.cells, [cellId]: { status: 'stale', reason: 'edited since it ran; run it to update' } } };
}

function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The header's words for a state: "done · 1.2 s", "done · from cache", "blocked by by_product". */
export function describeStatus(status: CellStatus, nameOf: (cellId: string) => string = (id) => id): string {
  switch (status.status) {
    case 'idle': return 'not run';
    case 'queued': return 'queued';
    case 'running': {
      const parts = ['running'];
      if (status.fraction !== undefined) parts.push(`${Math.round(status.fraction * 100)}%`);
      if (status.etaSeconds !== undefined) parts.push(`${seconds(status.etaSeconds * 1000)} left`);
      return parts.join(' · ');
    }
    case 'done': return status.stored ? 'done · stored output' : status.fromCache ? 'done · from cache' : `done · ${seconds(status.durationMs)}`;
    case 'stale': return `stale · ${status.reason}`;
    case 'failed': return status.line !== undefined ? `failed at line ${status.line}` : 'failed';
    case 'cancelled': return 'cancelled';
    case 'blocked': return `blocked by ${nameOf(status.ancestor)}`;
  }
}
