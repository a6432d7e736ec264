import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, wsPath } from '../api/http.ts';
import { hasRole, type DatasetMeta, type Workspace, type WorkspaceRole } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { useApi } from '../common/useApi.ts';
import { DataTab } from '../data/DataTab.tsx';
import { TopBar } from '../layout/TopBar.tsx';
import type { WorkspaceTab } from '../router/route.ts';
import { navigate } from '../router/useRoute.ts';
import { ExploreTab } from '../explore/ExploreTab.tsx';
import { RunsTab } from '../runs/RunsTab.tsx';
import { chooseDataset } from './datasetSelection.ts';

// Monaco is large: the tabs that need it load on first use.
const SqlTab = lazy(() => import('../sql/SqlTab.tsx').then((m) => ({ default: m.SqlTab })));
const NotebooksTab = lazy(() => import('../notebooks/NotebooksTab.tsx').then((m) => ({ default: m.NotebooksTab })));

const TABS: { tab: WorkspaceTab; label: string; needs: WorkspaceRole }[] = [
  { tab: 'data', label: 'Data', needs: 'explore' },
  { tab: 'explore', label: 'Explore', needs: 'explore' },
  { tab: 'sql', label: 'SQL', needs: 'explore' },
  { tab: 'runs', label: 'Runs', needs: 'explore' },
  { tab: 'notebooks', label: 'Notebooks', needs: 'view' },
];

export function WorkspacePage({ workspaceId, tab, itemId }: { workspaceId: string; tab: WorkspaceTab; itemId?: string | undefined }) {
  const loaded = useApi(() => api.get<{ workspace: Workspace }>(wsPath(workspaceId)), workspaceId);
  const workspace = loaded.data?.workspace ?? null;
  const canExplore = workspace ? hasRole(workspace.role, 'explore') : false;
  const datasets = useApi(
    async () => (canExplore ? api.get<{ datasets: DatasetMeta[] }>(wsPath(workspaceId, 'datasets')) : { ok: true as const, value: { datasets: [] } }),
    `${workspaceId}:${canExplore}`,
  );
  const [datasetId, setDatasetId] = useState<string | null>(null);
  const [wantedId, setWantedId] = useState<string | null>(null);
  const list = datasets.data?.datasets ?? [];

  useEffect(() => {
    // Keep a valid selection (datasetSelection.ts); a dataset just uploaded wins once the list has it.
    const next = chooseDataset(list, datasetId, wantedId);
    if (next.selected !== datasetId) setDatasetId(next.selected);
    if (next.wanted !== wantedId) setWantedId(next.wanted);
  }, [list, datasetId, wantedId]);

  const { reload } = datasets;
  const reloadDatasets = useCallback((select?: string) => {
    if (select) setWantedId(select);
    reload();
  }, [reload]);

  useEffect(() => {
    // A viewer lands on the only tab they may open.
    if (workspace && !canExplore && tab !== 'notebooks') navigate({ page: 'workspace', workspaceId, tab: 'notebooks' }, { replace: true });
  }, [workspace, canExplore, tab, workspaceId]);

  if (loaded.error) {
    return (<><TopBar /><main className="page"><ErrorBanner error={loaded.error} /><a href="/">Back to workspaces</a></main></>);
  }
  if (!workspace) return (<><TopBar /><main className="page"><p className="muted">Loading…</p></main></>);

  const context = { workspace, datasets: list, datasetId, setDatasetId, reloadDatasets };
  return (
    <>
      <TopBar workspaceName={workspace.name} />
      <nav className="tabs" role="tablist">
        {TABS.filter((t) => hasRole(workspace.role, t.needs)).map((t) => (
          <a key={t.tab} role="tab" aria-selected={t.tab === tab} className={t.tab === tab ? 'tab active' : 'tab'}
            href={`/w/${workspaceId}/${t.tab}`} onClick={(e) => { e.preventDefault(); navigate({ page: 'workspace', workspaceId, tab: t.tab }); }}>
            {t.label}
          </a>
        ))}
        <span className="spacer" />
        <span className={`badge role-${workspace.role}`}>{workspace.role}</span>
      </nav>
      <main className="page workspace-page">
        <ErrorBanner error={datasets.error} />
        <Suspense fallback={<p className="muted">Loading editor…</p>}>
          {tab === 'data' && canExplore ? <DataTab {...context} /> : null}
          {tab === 'explore' && canExplore ? <ExploreTab {...context} /> : null}
          {tab === 'sql' && canExplore ? <SqlTab {...context} /> : null}
          {tab === 'runs' && canExplore ? <RunsTab {...context} runId={itemId} /> : null}
          {tab === 'notebooks' ? <NotebooksTab workspace={workspace} notebookId={itemId} /> : null}
        </Suspense>
      </main>
    </>
  );
}

export interface WorkspaceContext {
  workspace: Workspace;
  datasets: DatasetMeta[];
  datasetId: string | null;
  setDatasetId: (id: string) => void;
  /** Reloads the list; `select` (a dataset just created) becomes the selection once the list holds it. */
  reloadDatasets: (select?: string) => void;
}
