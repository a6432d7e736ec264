/** Start a notebook from one of the shipped examples (`GET /api/notebook-examples`, `POST …/notebooks {example}`). */
import { useState } from 'react';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import type { NotebookExample } from '@almready/contracts';
import type { Notebook } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { useApi } from '../common/useApi.ts';

export function ExamplePicker({ workspaceId, onCreated }: { workspaceId: string; onCreated: (notebook: Notebook) => void }) {
  const examples = useApi(() => api.get<{ examples: NotebookExample[] }>('/api/notebook-examples'), 'examples');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);

  async function start(example: NotebookExample) {
    setBusy(example.id);
    const result = await api.post<{ notebook: Notebook }>(wsPath(workspaceId, 'notebooks'), { example: example.id });
    setBusy(null);
    if (!result.ok) return setError(result.error);
    setError(null);
    onCreated(result.value.notebook);
  }

  const list = examples.data?.examples ?? [];
  if (list.length === 0) return examples.error && examples.error.status !== 404 ? <ErrorBanner error={examples.error} /> : null;
  return (
    <section className="examples" aria-label="Start from an example">
      <h3>Start from an example</h3>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <ul className="example-list">
        {list.map((example) => (
          <li key={example.id}>
            <div>
              <strong>{example.name}</strong>
              <p className="muted">{example.description}</p>
            </div>
            <button type="button" disabled={busy !== null} onClick={() => void start(example)} aria-label={`Start from ${example.name}`}>
              {busy === example.id ? 'Creating…' : 'Use this example'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
