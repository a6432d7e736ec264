import { useState, type FormEvent } from 'react';
import { api, type ApiFailure } from '../api/http.ts';
import type { AdminUser } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatDateTime } from '../common/format.ts';
import { useApi } from '../common/useApi.ts';

const ROLES = ['member', 'admin'];

export function UsersPanel() {
  const users = useApi(() => api.get<{ users: AdminUser[] }>('/api/admin/users'), 'users');
  const [form, setForm] = useState({ username: '', password: '', role: 'member' });
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!form.username.trim() || !form.password) return setError('Enter a username and an initial password.');
    const result = await api.post<{ user: AdminUser }>('/api/admin/users', { ...form, username: form.username.trim() });
    if (!result.ok) return setError(result.error);
    setForm({ username: '', password: '', role: 'member' });
    setError(null);
    setNotice(`User ${result.value.user.username} created.`);
    users.reload();
  }

  async function change(user: AdminUser, patch: { role?: string; disabled?: boolean; password?: string }, done: string) {
    const result = await api.patch<{ user: AdminUser }>(`/api/admin/users/${encodeURIComponent(user.id)}`, patch);
    if (!result.ok) return setError(result.error);
    setError(null);
    setNotice(done);
    users.reload();
  }

  function resetPassword(user: AdminUser) {
    const password = window.prompt(`New password for ${user.username}`);
    if (password) void change(user, { password }, `Password of ${user.username} reset; their sessions have ended.`);
  }

  return (
    <section>
      <h2>Users</h2>
      <form className="inline-form" onSubmit={add} aria-label="Add user">
        <input placeholder="Username" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
        <input placeholder="Initial password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })} aria-label="Role">
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
        <button type="submit" className="primary">Add user</button>
      </form>
      <ErrorBanner error={error ?? users.error} onClose={() => setError(null)} />
      {notice ? <div className="notice">{notice}</div> : null}
      <table className="table">
        <thead><tr><th>Username</th><th>Role</th><th>Status</th><th>Created</th><th /></tr></thead>
        <tbody>
          {(users.data?.users ?? []).map((user) => (
            <tr key={user.id} className={user.disabled ? 'disabled' : ''}>
              <td>{user.username}</td>
              <td>
                <select value={user.role} onChange={(e) => void change(user, { role: e.target.value }, `${user.username} is now ${e.target.value}.`)} aria-label={`Role of ${user.username}`}>
                  {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                </select>
              </td>
              <td>{user.disabled ? <span className="badge bad">disabled</span> : <span className="badge good">active</span>}</td>
              <td>{formatDateTime(user.createdAt)}</td>
              <td className="actions">
                <button type="button" className="link" onClick={() => void change(user, { disabled: !user.disabled }, `${user.username} ${user.disabled ? 'enabled' : 'disabled'}.`)}>
                  {user.disabled ? 'Enable' : 'Disable'}
                </button>
                <button type="button" className="link" onClick={() => resetPassword(user)}>Reset password</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
