/** SQL of calculation runs. */
import type { Database } from 'better-sqlite3';
import type { Run, RunSettings, RunStatus, RunSummary } from '@almready/contracts';

export { RUN_STATUSES, type Run, type RunStatus } from '@almready/contracts';
export const FINISHED: ReadonlySet<RunStatus> = new Set(['done', 'failed', 'cancelled']);

interface RunRow {
  id: string;
  workspace_id: string;
  dataset_id: string;
  status: RunStatus;
  progress: number;
  phase: string;
  settings_json: string;
  summary_json: string | null;
  error: string | null;
  created_by: string;
  created_by_name: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const SELECT = 'SELECT r.*, u.username AS created_by_name FROM runs r LEFT JOIN users u ON u.id = r.created_by';

function toRun(row: RunRow): Run {
  const run: Run = {
    id: row.id,
    workspaceId: row.workspace_id,
    status: row.status,
    progress: row.progress,
    phase: row.phase,
    settings: JSON.parse(row.settings_json) as RunSettings,
    datasetId: row.dataset_id,
    createdBy: row.created_by,
    createdByName: row.created_by_name ?? row.created_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
  if (row.summary_json !== null) run.summary = JSON.parse(row.summary_json) as RunSummary;
  if (row.error !== null) run.error = row.error;
  return run;
}

export function insertRun(db: Database, run: { id: string; workspaceId: string; datasetId: string; settings: RunSettings; userId: string; now: string }): void {
  db.prepare("INSERT INTO runs (id, workspace_id, dataset_id, status, progress, phase, settings_json, created_by, created_at) VALUES (?, ?, ?, 'queued', 0, '', ?, ?, ?)")
    .run(run.id, run.workspaceId, run.datasetId, JSON.stringify(run.settings), run.userId, run.now);
}

export function getRun(db: Database, workspaceId: string, id: string): Run | undefined {
  const row = db.prepare(`${SELECT} WHERE r.id = ? AND r.workspace_id = ?`).get(id, workspaceId) as RunRow | undefined;
  return row ? toRun(row) : undefined;
}

export function listRuns(db: Database, workspaceId: string): Run[] {
  return (db.prepare(`${SELECT} WHERE r.workspace_id = ? ORDER BY r.created_at DESC, r.id`).all(workspaceId) as RunRow[]).map(toRun);
}

export function markRunning(db: Database, id: string, now: string): void {
  db.prepare("UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'").run(now, id);
}

export function setProgress(db: Database, id: string, phase: string, fraction: number): void {
  db.prepare("UPDATE runs SET phase = ?, progress = ? WHERE id = ? AND status = 'running'").run(phase, fraction, id);
}

/** Moves an unfinished run to a final status; a run already finished keeps its outcome. */
export function finishRun(db: Database, id: string, outcome: { status: 'done' | 'failed' | 'cancelled'; summary?: unknown; error?: string }, now: string): boolean {
  return db
    .prepare("UPDATE runs SET status = ?, summary_json = ?, error = ?, finished_at = ?, progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END WHERE id = ? AND status IN ('queued', 'running')")
    .run(outcome.status, outcome.summary === undefined ? null : JSON.stringify(outcome.summary), outcome.error ?? null, now, outcome.status, id).changes > 0;
}

/** After a restart no worker is alive: every unfinished run failed. */
export function failInterruptedRuns(db: Database, now: string): number {
  return db
    .prepare("UPDATE runs SET status = 'failed', error = 'The server stopped while this run was queued or running; start it again.', finished_at = ? WHERE status IN ('queued', 'running')")
    .run(now).changes;
}
