import { useState, type FormEvent } from 'react';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import type { Member, Workspace, WorkspaceRole } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { Modal } from '../common/Modal.tsx';
import { useApi } from '../common/useApi.ts';

const GRANTABLE: WorkspaceRole[] = ['edit', 'explore', 'view'];

/** Members of a workspace; only the owner may add, change or remove them. */
export function ShareDialog({ workspace, onClose }: { workspace: Workspace; onClose: () => void }) {
  const members = useApi(() => api.get<{ members: Member[] }>(wsPath(workspace.id, 'members')), workspace.id);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<WorkspaceRole>('explore');
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const isOwner = workspace.role === 'owner';

  async function grant(name: string, newRole: WorkspaceRole) {
    const result = await api.put(wsPath(workspace.id, 'members', name), { role: newRole });
    if (!result.ok) return setError(result.error);
    setError(null);
    members.reload();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!username.trim()) return setError('Enter the username to share with.');
    await grant(username.trim(), role);
    setUsername('');
  }

  async function remove(member: Member) {
    if (!window.confirm(`Remove ${member.username} from ${workspace.name}?`)) return;
    const result = await api.del(wsPath(workspace.id, 'members', member.userId));
    if (!result.ok) return setError(result.error);
    members.reload();
  }

  return (
    <Modal title={`Members of ${workspace.name}`} onClose={onClose}>
      <ErrorBanner error={error ?? members.error} />
      <table className="table">
        <thead><tr><th>User</th><th>Role</th><th /></tr></thead>
        <tbody>
          {(members.data?.members ?? []).map((member) => (
            <tr key={member.userId}>
              <td>{member.username}</td>
              <td>
                {isOwner && member.role !== 'owner' ? (
                  <select value={member.role} onChange={(e) => void grant(member.username, e.target.value as WorkspaceRole)} aria-label={`Role of ${member.username}`}>
                    {GRANTABLE.map((r) => <option key={r} value={r}>{r}</option>)}
                  </select>
                ) : member.role}
              </td>
              <td>{isOwner && member.role !== 'owner' ? <button type="button" className="link danger" onClick={() => void remove(member)}>Remove</button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {isOwner ? (
        <form className="inline-form" onSubmit={submit} aria-label="Share">
          <input placeholder="Username" value={username} onChange={(e) => setUsername(e.target.value)} />
          <select value={role} onChange={(e) => setRole(e.target.value as WorkspaceRole)} aria-label="Role">
            {GRANTABLE.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
          <button type="submit" className="primary">Share</button>
        </form>
      ) : <p className="muted">Only the owner can change members.</p>}
    </Modal>
  );
}
