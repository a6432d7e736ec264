import { useState, type FormEvent } from 'react';
import type { ApiFailure } from '../api/http.ts';
import { useAuth } from './AuthContext.tsx';

function loginMessage(failure: ApiFailure): string {
  // 429 means rate limited or locked: say so, then the server's own sentence.
  if (failure.status === 429) return `Too many attempts (HTTP 429): ${failure.message}`;
  return failure.message;
}

export function LoginPage() {
  const { login, notice } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!username || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    const failure = await login(username, password);
    setBusy(false);
    if (failure) setError(loginMessage(failure));
  }

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={submit} aria-label="Log in">
        <h1 className="brand">ALMReady</h1>
        <p className="muted">Interest-rate risk in the banking book</p>
        {notice && !error ? <div className="notice">{notice}</div> : null}
        <label>
          Username
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error ? <div className="error" role="alert">{error}</div> : null}
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button>
      </form>
    </div>
  );
}
