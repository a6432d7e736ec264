import { api, wsPath } from '../api/http.ts';
import { hasRole, type Run } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatDateTime } from '../common/format.ts';
import { useApi } from '../common/useApi.ts';
import { navigate } from '../router/useRoute.ts';
import type { WorkspaceContext } from '../workspace/WorkspacePage.tsx';
import { RunDetail } from './RunDetail.tsx';
import { RunForm } from './RunForm.tsx';

export function RunsTab({ workspace, datasets, datasetId, setDatasetId, runId }: WorkspaceContext & { runId?: string | undefined }) {
  const runs = useApi(() => api.get<{ runs: Run[] }>(wsPath(workspace.id, 'runs')), workspace.id);
  const open = (id: string) => navigate({ page: 'workspace', workspaceId: workspace.id, tab: 'runs', itemId: id });
  const datasetName = (id: string) => datasets.find((d) => d.id === id)?.name ?? id.slice(0, 8);
  const sorted = [...(runs.data?.runs ?? [])].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));

  return (
    <div className="runs-layout">
      <aside>
        <RunForm workspaceId={workspace.id} datasets={datasets} datasetId={datasetId} setDatasetId={setDatasetId}
          onStarted={(id) => { runs.reload(); open(id); }} />
        <h3>Past runs</h3>
        <ErrorBanner error={runs.error} />
        <ul className="run-list">
          {sorted.map((run) => (
            <li key={run.id} className={run.id === runId ? 'selected' : ''}>
              <a href={`/w/${workspace.id}/runs/${run.id}`} onClick={(e) => { e.preventDefault(); open(run.id); }}>
                <span className={`badge status-${run.status}`}>{run.status}</span> {datasetName(run.datasetId)}
                <span className="muted"> · {run.settings?.method ?? 'full'} · {formatDateTime(run.createdAt)}{run.createdByName ? ` · ${run.createdByName}` : ''}</span>
              </a>
            </li>
          ))}
          {sorted.length === 0 && !runs.loading ? <li className="muted">No run yet.</li> : null}
        </ul>
      </aside>
      <section className="run-main">
        {runId ? <RunDetail key={runId} workspaceId={workspace.id} runId={runId} onChanged={runs.reload} canEdit={hasRole(workspace.role, 'edit')} /> : <p className="muted">Start a calculation or open a past run.</p>}
      </section>
    </div>
  );
}
