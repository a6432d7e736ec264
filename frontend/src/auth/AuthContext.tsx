/**
 * Who is logged in. The session itself is the server's HttpOnly cookie: the SPA only remembers the
 * user object it was given, never a token, and drops it whenever any call answers 401.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onUnauthorized, request, type ApiFailure, type ApiResult } from '../api/http.ts';
import type { User } from '../api/types.ts';

export interface AuthState {
  status: 'checking' | 'signedIn' | 'signedOut';
  user: User | null;
  /** Why the last session ended, e.g. after a 401 mid-way; shown on the login page. */
  notice: string | null;
  login: (username: string, password: string) => Promise<ApiFailure | null>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [status, setStatus] = useState<AuthState['status']>('checking');
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void request<{ user: User }>('/api/auth/me', { quietUnauthorized: true }).then((result) => {
      if (!live) return;
      setUser(result.ok ? result.value.user : null);
      setStatus(result.ok ? 'signedIn' : 'signedOut');
    });
    onUnauthorized(() => {
      setUser(null);
      setStatus('signedOut');
      setNotice('Your session has ended. Please log in again.');
    });
    return () => {
      live = false;
      onUnauthorized(null);
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const result: ApiResult<{ user: User }> = await request('/api/auth/login', {
      method: 'POST',
      body: { username, password },
      quietUnauthorized: true,
    });
    if (!result.ok) return result.error;
    setUser(result.value.user);
    setStatus('signedIn');
    setNotice(null);
    return null;
  }, []);

  const logout = useCallback(async () => {
    await request('/api/auth/logout', { method: 'POST', body: {}, quietUnauthorized: true });
    setUser(null);
    setStatus('signedOut');
    setNotice(null);
  }, []);

  const value = useMemo(() => ({ status, user, notice, login, logout }), [status, user, notice, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
