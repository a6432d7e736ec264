import { useState } from 'react';
import { useAuth } from '../auth/AuthContext.tsx';
import { navigate } from '../router/useRoute.ts';

export function TopBar({ workspaceName }: { workspaceName?: string | null }) {
  const { user, logout } = useAuth();
  const [open, setOpen] = useState(false);
  return (
    <header className="topbar">
      <a className="brand" href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>ALMReady</a>
      <nav className="crumbs">
        <a href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>Workspaces</a>
        {workspaceName ? <><span className="sep">/</span><span className="current" data-testid="workspace-name">{workspaceName}</span></> : null}
      </nav>
      <div className="spacer" />
      {user ? (
        <div className="user-menu">
          <button type="button" className="user-button" onClick={() => setOpen((o) => !o)} aria-haspopup="menu" aria-expanded={open}>
            {user.username} <span className="muted">({user.role})</span> ▾
          </button>
          {open ? (
            <div className="menu" role="menu" onMouseLeave={() => setOpen(false)}>
              {user.role === 'admin' ? (
                <button type="button" role="menuitem" onClick={() => { setOpen(false); navigate('/admin'); }}>Administration</button>
              ) : null}
              <button type="button" role="menuitem" onClick={() => { setOpen(false); void logout().then(() => navigate('/login')); }}>Log out</button>
            </div>
          ) : null}
        </div>
      ) : null}
    </header>
  );
}
