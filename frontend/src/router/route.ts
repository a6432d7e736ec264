/** The SPA's routes as data: parse a pathname, format it back. The server falls back to index.html. */
export const WORKSPACE_TABS = ['data', 'explore', 'sql', 'runs', 'notebooks'] as const;
export type WorkspaceTab = (typeof WORKSPACE_TABS)[number];

export type Route =
  | { page: 'login' }
  | { page: 'workspaces' }
  | { page: 'admin' }
  | { page: 'workspace'; workspaceId: string; tab: WorkspaceTab; itemId?: string }
  | { page: 'notFound'; path: string };

function isTab(value: string | undefined): value is WorkspaceTab {
  return (WORKSPACE_TABS as readonly string[]).includes(value ?? '');
}

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'workspaces' };
  if (parts[0] === 'login' && parts.length === 1) return { page: 'login' };
  if (parts[0] === 'admin' && parts.length === 1) return { page: 'admin' };
  if (parts[0] === 'w' && parts[1]) {
    const workspaceId = parts[1];
    if (parts.length === 2) return { page: 'workspace', workspaceId, tab: 'data' };
    if (isTab(parts[2]) && parts.length <= 4) {
      return parts[3] ? { page: 'workspace', workspaceId, tab: parts[2], itemId: parts[3] } : { page: 'workspace', workspaceId, tab: parts[2] };
    }
  }
  return { page: 'notFound', path: pathname };
}

export function formatRoute(route: Route): string {
  switch (route.page) {
    case 'login':
      return '/login';
    case 'workspaces':
      return '/';
    case 'admin':
      return '/admin';
    case 'workspace': {
      const base = `/w/${encodeURIComponent(route.workspaceId)}/${route.tab}`;
      return route.itemId ? `${base}/${encodeURIComponent(route.itemId)}` : base;
    }
    case 'notFound':
      return route.path;
    default:
      return assertNever(route);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
