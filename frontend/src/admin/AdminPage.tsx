import { useAuth } from '../auth/AuthContext.tsx';
import { TopBar } from '../layout/TopBar.tsx';
import { AuditPanel } from './AuditPanel.tsx';
import { UsersPanel } from './UsersPanel.tsx';

export function AdminPage() {
  const { user } = useAuth();
  return (
    <>
      <TopBar />
      <main className="page">
        <h1>Administration</h1>
        {user?.role === 'admin' ? (<><UsersPanel /><AuditPanel /></>) : <div className="error">Administration is for administrators only.</div>}
      </main>
    </>
  );
}
