/** "Open in a notebook": creates a notebook reading this run's tables (runNotebook.ts) and opens it. */
import { useState } from 'react';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import type { Notebook, Run } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { navigate } from '../router/useRoute.ts';
import { runNotebookDocument, runNotebookName } from './runNotebook.ts';

export function OpenInNotebook({ workspaceId, run }: { workspaceId: string; run: Run }) {
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    const result = await api.post<{ notebook: Notebook }>(wsPath(workspaceId, 'notebooks'), { name: runNotebookName(run), content: runNotebookDocument(run) });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    navigate({ page: 'workspace', workspaceId, tab: 'notebooks', itemId: result.value.notebook.id });
  }

  return (
    <>
      <button type="button" disabled={busy} onClick={() => void create()} title="A new notebook whose first cells read this run's result tables">Open in a notebook</button>
      <ErrorBanner error={error} onClose={() => setError(null)} />
    </>
  );
}
