import { lazy, Suspense, useEffect } from 'react';
import { AuthProvider, useAuth } from './auth/AuthContext.tsx';
import { LoginPage } from './auth/LoginPage.tsx';
import { TopBar } from './layout/TopBar.tsx';
import { assertNever } from './router/route.ts';
import { navigate, useRoute } from './router/useRoute.ts';
import { WorkspaceListPage } from './workspaces/WorkspaceListPage.tsx';

// Grids, charts and the editor are large: they load with the first page that shows them, so the
// login page stays light.
const WorkspacePage = lazy(() => import('./workspace/WorkspacePage.tsx').then((m) => ({ default: m.WorkspacePage })));
const AdminPage = lazy(() => import('./admin/AdminPage.tsx').then((m) => ({ default: m.AdminPage })));

function Screens() {
  const { status } = useAuth();
  const route = useRoute();

  useEffect(() => {
    if (status === 'signedIn' && route.page === 'login') navigate('/', { replace: true });
  }, [status, route.page]);

  if (status === 'checking') return <div className="splash">ALMReady</div>;
  // Signed out: the login form shows on whatever page was asked for, which then opens after login.
  if (status === 'signedOut') return <LoginPage />;

  switch (route.page) {
    case 'login':
    case 'workspaces':
      return (<><TopBar /><WorkspaceListPage /></>);
    case 'admin':
      return <AdminPage />;
    case 'workspace':
      return <WorkspacePage workspaceId={route.workspaceId} tab={route.tab} itemId={route.itemId} />;
    case 'notFound':
      return (<><TopBar /><main className="page"><h1>Page not found</h1><p>Nothing lives at {route.path}. <a href="/">Go to your workspaces</a>.</p></main></>);
    default:
      return assertNever(route);
  }
}

export function App() {
  return (
    <AuthProvider>
      <Suspense fallback={<div className="splash">ALMReady</div>}>
        <Screens />
      </Suspense>
    </AuthProvider>
  );
}
