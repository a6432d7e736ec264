import { useState, type FormEvent } from 'react';
import { api, type ApiFailure } from '../api/http.ts';
import type { Workspace } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';

export function WorkspaceCreateForm({ onCreated }: { onCreated: (workspace: Workspace) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<ApiFailure | string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError('Give the workspace a name.');
    const result = await api.post<{ workspace: Workspace }>('/api/workspaces', { name: name.trim(), description: description.trim() || undefined });
    if (!result.ok) return setError(result.error);
    setName('');
    setDescription('');
    setError(null);
    onCreated(result.value.workspace);
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label="New workspace">
      <input placeholder="New workspace name" value={name} onChange={(e) => setName(e.target.value)} />
      <input placeholder="Description (optional)" value={description} onChange={(e) => setDescription(e.target.value)} />
      <button type="submit" className="primary">Create</button>
      <ErrorBanner error={error} />
    </form>
  );
}
