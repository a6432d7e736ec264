import { useEffect, useState } from 'react';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import { RUN_EVENT_TYPES } from '@almready/contracts';
import type { Run } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatAmount, formatDateTime } from '../common/format.ts';
import { useApi } from '../common/useApi.ts';
import { applyRunEvent, type RunEventMessage, type RunView } from './runEvents.ts';
import { RunResults } from './RunResults.tsx';
import { OpenInNotebook } from './OpenInNotebook.tsx';

const FINISHED = new Set(['done', 'failed', 'cancelled']);

/** Follows a run live over server-sent events, then shows its results. */
export function RunDetail({ workspaceId, runId, onChanged, canEdit = false }: { workspaceId: string; runId: string; onChanged: () => void; canEdit?: boolean }) {
  const loaded = useApi(() => api.get<{ run: Run }>(wsPath(workspaceId, 'runs', runId)), runId);
  const run = loaded.data?.run ?? null;
  const [view, setView] = useState<RunView>({ state: 'waiting', phase: null, fraction: 0 });
  const [error, setError] = useState<ApiFailure | null>(null);
  const finished = run ? FINISHED.has(run.status) : false;

  useEffect(() => {
    if (!run || finished) return;
    setView({ state: 'waiting', phase: run.phase || null, fraction: run.progress ?? 0 });
    const source = new EventSource(wsPath(workspaceId, 'runs', runId, 'events'));
    const handle = (type: RunEventMessage['type']) => (event: MessageEvent<string>) => {
      setView((current) => applyRunEvent(current, { type, data: event.data }));
      if (type !== 'progress') {
        source.close();
        loaded.reload();
        onChanged();
      }
    };
    for (const type of RUN_EVENT_TYPES) source.addEventListener(type, handle(type) as EventListener);
    // A dropped stream (proxy restart, lost session) falls back to asking for the run's status.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) loaded.reload();
    };
    return () => source.close();
    // One stream per run status: reconnecting on every render would replay the progress events.
  }, [workspaceId, runId, run?.status, finished]);

  async function cancel() {
    const result = await api.post(wsPath(workspaceId, 'runs', runId, 'cancel'));
    if (!result.ok) setError(result.error);
    loaded.reload();
    onChanged();
  }

  if (loaded.error) return <ErrorBanner error={loaded.error} />;
  if (!run) return <p className="muted">Loading run…</p>;
  const s: Partial<Run['settings']> = run.settings ?? {};
  return (
    <div className="run-detail">
      <div className="section-head">
        <h2>Run {run.id.slice(0, 8)} <span className={`badge status-${run.status}`} data-testid="run-status">{run.status}</span></h2>
        {!finished ? <button type="button" onClick={() => void cancel()}>Cancel run</button> : null}
        {run.status === 'done' && canEdit ? <OpenInNotebook workspaceId={workspaceId} run={run} /> : null}
      </div>
      <p className="muted">
        {s.method ?? 'full'} method · {s.floor === false ? 'no floor' : 'EU floor'} · NII {s.niiHorizonMonths ?? 12} months · Tier 1 {s.tier1 == null ? '—' : formatAmount(s.tier1)} · started {formatDateTime(run.createdAt)}{run.createdByName ? ` by ${run.createdByName}` : ''}
        {run.finishedAt ? ` · finished ${formatDateTime(run.finishedAt)}` : ''}
      </p>
      <ErrorBanner error={error} />
      {!finished && view.state === 'waiting' ? (
        <div className="progress" aria-label="Run progress">
          <progress value={view.fraction} max={1} />
          <span>{view.phase ?? run.status}{view.fraction > 0 ? ` · ${Math.round(view.fraction * 100)} %` : ''}</span>
        </div>
      ) : null}
      {run.status === 'failed' ? <ErrorBanner error={run.error ?? (view.state === 'failed' ? view.message : 'The run failed.')} /> : null}
      {run.status === 'cancelled' ? <p className="notice">This run was cancelled.</p> : null}
      {run.status === 'done' ? <RunResults workspaceId={workspaceId} run={run} /> : null}
    </div>
  );
}
