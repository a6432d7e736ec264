import { useEffect, useState } from 'react';
import { CELL_KINDS, parseNotebook, type CellKind, type NotebookDocument } from '@almready/notebooks';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import { hasRole, type Notebook, type Workspace } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { useApi } from '../common/useApi.ts';
import { CodeEditor } from '../editor/CodeEditor.tsx';
import { addCell, EDITOR_LANGUAGE, moveCell, removeCell, updateCell } from './notebookEdits.ts';
import { hasLocalEdits } from './lifecycle/autosaveState.ts';
import { NotebookLifecycleBar } from './lifecycle/NotebookLifecycleBar.tsx';
import { useAutosave } from './lifecycle/useAutosave.ts';
import { upsertCell } from '../scenarios/scenarioCell.ts';

export function NotebookEditor({ workspace, notebookId, onChanged, onClose }: { workspace: Workspace; notebookId: string; onChanged: () => void; onClose: () => void }) {
  const url = wsPath(workspace.id, 'notebooks', notebookId);
  const loaded = useApi(() => api.get<{ notebook: Notebook }>(url), url);
  const canEdit = hasRole(workspace.role, 'edit');
  const [doc, setDoc] = useState<NotebookDocument | null>(null);
  const [meta, setMeta] = useState<Notebook | null>(null);
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const [newKind, setNewKind] = useState<CellKind>('sql');

  useEffect(() => {
    const notebook = loaded.data?.notebook;
    if (!notebook) return;
    const parsed = parseNotebook(notebook.content);
    setMeta(notebook);
    if (parsed.ok) { setDoc(parsed.document); setError(null); } else setError(parsed.reason);
  }, [loaded.data]);

  // Lifecycle (lifecycle/): autosave with the 409 choice, drafts in storage, history, scenario editor.
  const autosave = useAutosave({
    url, notebookId, doc, loaded: loaded.data?.notebook ?? null, enabled: canEdit, setDoc,
    onNotebook: (notebook) => { setMeta(notebook); onChanged(); },
  });
  const dirty = autosave.state ? hasLocalEdits(autosave.state) : false;
  const edit = (next: NotebookDocument) => setDoc(next);

  async function publish() {
    if (dirty) return setError('Your changes are not saved yet: wait for the autosave (or resolve the conflict) before publishing.');
    const result = await api.post<{ notebook: Notebook }>(`${url}/publish`);
    if (!result.ok) return setError(result.error);
    setMeta(result.value.notebook);
    onChanged();
  }

  if (loaded.error) return <ErrorBanner error={loaded.error} />;
  return (
    <section className="notebook">
      <div className="section-head">
        <h2>
          <button type="button" className="link" onClick={onClose}>Notebooks</button> / {meta?.name ?? '…'}
          {meta ? <span className="muted"> · version {meta.version}</span> : null}
          {meta?.published ? <span className="badge good">published</span> : null}
        </h2>
        {canEdit ? (
          <div className="buttons">
            <NotebookLifecycleBar autosave={autosave} url={url} workspace={workspace} canEdit={canEdit} doc={doc} onSaveCell={(cell) => doc && edit(upsertCell(doc, cell))} />
            <button type="button" onClick={() => void publish()}>Publish this version</button>
          </div>
        ) : null}
      </div>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <ol className="cells">
        {(doc?.cells ?? []).map((cell, index) => (
          <li key={cell.id} className={`cell cell-${cell.kind}`}>
            <div className="cell-head">
              <span className="muted">[{index + 1}]</span>
              {canEdit ? (
                <>
                  <select value={cell.kind} onChange={(e) => edit(updateCell(doc!, cell.id, { kind: e.target.value as CellKind }))} aria-label="Cell kind">
                    {CELL_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
                  </select>
                  <input className="cell-name" placeholder="result name" value={cell.name ?? ''} onChange={(e) => edit(updateCell(doc!, cell.id, { name: e.target.value }))} aria-label="Cell name" />
                  <span className="spacer" />
                  <button type="button" className="link" onClick={() => edit(moveCell(doc!, cell.id, -1))} aria-label="Move up">↑</button>
                  <button type="button" className="link" onClick={() => edit(moveCell(doc!, cell.id, 1))} aria-label="Move down">↓</button>
                  <button type="button" className="link danger" onClick={() => edit(removeCell(doc!, cell.id))}>Delete</button>
                </>
              ) : <span>{cell.kind}{cell.name ? ` · ${cell.name}` : ''}</span>}
            </div>
            <CodeEditor value={cell.source} language={EDITOR_LANGUAGE[cell.kind]} readOnly={!canEdit}
              onChange={(source) => { if (source !== cell.source) edit(updateCell(doc!, cell.id, { source })); }}
              height={Math.min(400, 40 + 19 * Math.max(3, cell.source.split('\n').length))} ariaLabel={`Cell ${index + 1} source`} />
          </li>
        ))}
      </ol>
      {doc && doc.cells.length === 0 ? <p className="muted">This notebook has no cells yet.</p> : null}
      {canEdit && doc ? (
        <div className="inline-form">
          <select value={newKind} onChange={(e) => setNewKind(e.target.value as CellKind)} aria-label="New cell kind">
            {CELL_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
          <button type="button" onClick={() => edit(addCell(doc, newKind))}>Add cell</button>
        </div>
      ) : null}
    </section>
  );
}
