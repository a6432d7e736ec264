import { useState } from 'react';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import type { Workspace } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatDateTime } from '../common/format.ts';
import { useApi } from '../common/useApi.ts';
import { navigate } from '../router/useRoute.ts';
import { ShareDialog } from './ShareDialog.tsx';
import { WorkspaceCreateForm } from './WorkspaceCreateForm.tsx';

export function WorkspaceListPage() {
  const list = useApi(() => api.get<{ workspaces: Workspace[] }>('/api/workspaces'), 'workspaces');
  const [sharing, setSharing] = useState<Workspace | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);

  async function rename(workspace: Workspace) {
    const name = window.prompt('New name', workspace.name);
    if (!name || name.trim() === workspace.name) return;
    const result = await api.patch(wsPath(workspace.id), { name: name.trim() });
    if (!result.ok) return setError(result.error);
    list.reload();
  }

  async function remove(workspace: Workspace) {
    if (!window.confirm(`Delete workspace "${workspace.name}" with all its datasets, runs and notebooks? This cannot be undone.`)) return;
    const result = await api.del(wsPath(workspace.id));
    if (!result.ok) return setError(result.error);
    list.reload();
  }

  const open = (workspace: Workspace) => navigate({ page: 'workspace', workspaceId: workspace.id, tab: 'data' });

  return (
    <main className="page">
      <div className="page-head">
        <h1>Workspaces</h1>
      </div>
      <WorkspaceCreateForm onCreated={(workspace) => open(workspace)} />
      <ErrorBanner error={error ?? list.error} onClose={() => setError(null)} />
      {list.loading && !list.data ? <p className="muted">Loading…</p> : null}
      {list.data && list.data.workspaces.length === 0 ? <p className="muted">No workspace yet: create one above, or ask a colleague to share theirs.</p> : null}
      {list.data && list.data.workspaces.length > 0 ? (
        <table className="table workspaces">
          <thead><tr><th>Name</th><th>Description</th><th>Your role</th><th>Owner</th><th>Updated</th><th /></tr></thead>
          <tbody>
            {list.data.workspaces.map((workspace) => (
              <tr key={workspace.id}>
                <td><a href={`/w/${workspace.id}/data`} onClick={(e) => { e.preventDefault(); open(workspace); }}>{workspace.name}</a></td>
                <td className="muted">{workspace.description ?? ''}</td>
                <td><span className={`badge role-${workspace.role}`}>{workspace.role}</span></td>
                <td>{workspace.owner?.username}</td>
                <td>{formatDateTime(workspace.updatedAt)}</td>
                <td className="actions">
                  <button type="button" className="link" onClick={() => setSharing(workspace)}>Members</button>
                  {workspace.role === 'owner' ? (
                    <>
                      <button type="button" className="link" onClick={() => void rename(workspace)}>Rename</button>
                      <button type="button" className="link danger" onClick={() => void remove(workspace)}>Delete</button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {sharing ? <ShareDialog workspace={sharing} onClose={() => setSharing(null)} /> : null}
    </main>
  );
}
