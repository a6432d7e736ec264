/**
 * Notebook executions and their events in SQLite, written as each event happens: the SSE stream of
 * a running execution can be replayed from `seq` by any server process on the data directory, and
 * after a restart the last execution of a version still shows every cell's final state. Rows are
 * per workspace: an execution id of another workspace reads as unknown.
 */
import type { Database } from 'better-sqlite3';
import { executionEventSchema, type ExecutionEvent } from '@almready/notebooks';

/** What `record` needs of a running execution (`Execution` of the notebook runner). */
export interface RecordableExecution {
  id: string;
  log: { all(): readonly ExecutionEvent[]; subscribe(listener: (event: ExecutionEvent) => void): () => void };
}

export interface ExecutionRow {
  id: string;
  notebookId: string;
  version: number;
  startedBy: string | null;
  startedAt: number;
  finishedAt: number | null;
  status: 'running' | 'done' | 'failed' | 'cancelled';
}

interface Row { id: string; notebook_id: string; version: number; started_by: string | null; started_at: number; finished_at: number | null; status: ExecutionRow['status'] }

const present = (r: Row): ExecutionRow => ({ id: r.id, notebookId: r.notebook_id, version: r.version, startedBy: r.started_by, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status });

export class ExecutionLog {
  constructor(private readonly db: Database, private readonly workspaceId: string, private readonly now: () => number = Date.now) {}

  /** Writes the execution's events so far, then each one as it comes; returns the unsubscribe. */
  record(execution: RecordableExecution, meta: { notebookId: string; version: number; startedBy: string | null }, onError: (error: unknown) => void = () => undefined): () => void {
    this.db.prepare('INSERT INTO notebook_executions (id, workspace_id, notebook_id, version, started_by, started_at, status) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(execution.id, this.workspaceId, meta.notebookId, meta.version, meta.startedBy, this.now(), 'running');
    const insert = this.db.prepare('INSERT OR IGNORE INTO notebook_execution_events (execution_id, seq, event_json) VALUES (?, ?, ?)');
    const finish = this.db.prepare('UPDATE notebook_executions SET status = ?, finished_at = ? WHERE id = ?');
    const write = this.db.transaction((event: ExecutionEvent) => {
      insert.run(execution.id, event.seq, JSON.stringify(event));
      if (event.type === 'execution-finished') finish.run(event.status, event.at, execution.id);
    });
    // a failed write must not stop the execution: its events are still streamed, the log says why it is incomplete
    const safeWrite = (event: ExecutionEvent) => {
      try {
        write(event);
      } catch (error) {
        onError(error);
      }
    };
    for (const event of execution.log.all()) safeWrite(event);
    return execution.log.subscribe(safeWrite);
  }

  get(executionId: string): ExecutionRow | null {
    const row = this.db.prepare('SELECT * FROM notebook_executions WHERE id = ? AND workspace_id = ?').get(executionId, this.workspaceId) as Row | undefined;
    return row === undefined ? null : present(row);
  }

  /** Events after `afterSeq` (the SSE Last-Event-ID), each checked against the shared schema; null for an unknown execution. */
  events(executionId: string, afterSeq = -1): ExecutionEvent[] | null {
    if (this.get(executionId) === null) return null;
    const rows = this.db.prepare('SELECT event_json FROM notebook_execution_events WHERE execution_id = ? AND seq > ? ORDER BY seq').all(executionId, afterSeq) as { event_json: string }[];
    return rows.map((r) => executionEventSchema.parse(JSON.parse(r.event_json)));
  }

  /** The latest executions of a notebook version, newest first. */
  latest(notebookId: string, version: number, limit = 10): ExecutionRow[] {
    const rows = this.db.prepare('SELECT * FROM notebook_executions WHERE workspace_id = ? AND notebook_id = ? AND version = ? ORDER BY started_at DESC, rowid DESC LIMIT ?')
      .all(this.workspaceId, notebookId, version, limit) as Row[];
    return rows.map(present);
  }
}

/**
 * Executions a stopped server left running (one server process per data directory, as for runs):
 * each gets its closing `execution-finished` event (failed, with the reason) so a replay ends and
 * the version's history says what happened. Returns how many were closed.
 */
export function finishInterrupted(db: Database, now: number = Date.now()): number {
  const rows = db.prepare("SELECT id FROM notebook_executions WHERE status = 'running'").all() as { id: string }[];
  const close = db.transaction((id: string) => {
    const last = db.prepare('SELECT max(seq) AS seq FROM notebook_execution_events WHERE execution_id = ?').get(id) as { seq: number | null };
    const event: ExecutionEvent = {
      type: 'execution-finished', executionId: id, seq: (last.seq ?? -1) + 1, at: now, status: 'failed', counts: {},
      error: 'the server stopped while this execution ran; start it again',
    };
    db.prepare('INSERT INTO notebook_execution_events (execution_id, seq, event_json) VALUES (?, ?, ?)').run(id, event.seq, JSON.stringify(executionEventSchema.parse(event)));
    db.prepare("UPDATE notebook_executions SET status = 'failed', finished_at = ? WHERE id = ? AND status = 'running'").run(now, id);
  });
  for (const { id } of rows) close(id);
  return rows.length;
}
