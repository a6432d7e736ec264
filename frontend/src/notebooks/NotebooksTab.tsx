import { useState, type FormEvent } from 'react';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import { hasRole, type Notebook, type NotebookSummary, type Workspace } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatDateTime } from '../common/format.ts';
import { useApi } from '../common/useApi.ts';
import { navigate } from '../router/useRoute.ts';
import { NotebookEditor } from './NotebookEditor.tsx';
import { ExamplePicker } from './ExamplePicker.tsx';
import './lifecycle/lifecycle.css';

export function NotebooksTab({ workspace, notebookId }: { workspace: Workspace; notebookId?: string | undefined }) {
  const list = useApi(() => api.get<{ notebooks: NotebookSummary[] }>(wsPath(workspace.id, 'notebooks')), workspace.id);
  const canEdit = hasRole(workspace.role, 'edit');
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const open = (id: string) => navigate({ page: 'workspace', workspaceId: workspace.id, tab: 'notebooks', itemId: id });

  async function create(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError('Give the notebook a name.');
    const result = await api.post<{ notebook: Notebook }>(wsPath(workspace.id, 'notebooks'), { name: name.trim() });
    if (!result.ok) return setError(result.error);
    setName('');
    setError(null);
    list.reload();
    open(result.value.notebook.id);
  }

  if (notebookId) {
    return <NotebookEditor key={notebookId} workspace={workspace} notebookId={notebookId} onChanged={list.reload}
      onClose={() => navigate({ page: 'workspace', workspaceId: workspace.id, tab: 'notebooks' })} />;
  }
  return (
    <section>
      <div className="section-head"><h2>Notebooks</h2></div>
      {canEdit ? (
        <form className="inline-form" onSubmit={create} aria-label="New notebook">
          <input placeholder="New notebook name" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="primary">Create</button>
        </form>
      ) : <p className="muted">You see the published reports of this workspace.</p>}
      {canEdit ? <ExamplePicker workspaceId={workspace.id} onCreated={(notebook) => { list.reload(); open(notebook.id); }} /> : null}
      <ErrorBanner error={error ?? list.error} />
      <table className="table">
        <thead><tr><th>Name</th><th className="num">Version</th><th>Status</th><th>Updated</th></tr></thead>
        <tbody>
          {(list.data?.notebooks ?? []).map((n) => (
            <tr key={n.id}>
              <td><a href={`/w/${workspace.id}/notebooks/${n.id}`} onClick={(e) => { e.preventDefault(); open(n.id); }}>{n.name}</a></td>
              <td className="num">{n.version}</td>
              <td>{n.published ? <span className="badge good">published</span> : <span className="badge muted">draft</span>}</td>
              <td>{formatDateTime(n.updatedAt)}</td>
            </tr>
          ))}
          {list.data && list.data.notebooks.length === 0 ? <tr><td colSpan={4} className="muted">No notebook{canEdit ? ' yet' : ' published yet'}.</td></tr> : null}
        </tbody>
      </table>
    </section>
  );
}
