import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from './route.ts';

describe('parseRoute', () => {
  it('reads every page', () => {
    expect(parseRoute('/')).toEqual({ page: 'workspaces' });
    expect(parseRoute('/login')).toEqual({ page: 'login' });
    expect(parseRoute('/admin')).toEqual({ page: 'admin' });
    expect(parseRoute('/w/9b1d')).toEqual({ page: 'workspace', workspaceId: '9b1d', tab: 'data' });
    expect(parseRoute('/w/9b1d/explore')).toEqual({ page: 'workspace', workspaceId: '9b1d', tab: 'explore' });
    expect(parseRoute('/w/9b1d/notebooks/n1')).toEqual({ page: 'workspace', workspaceId: '9b1d', tab: 'notebooks', itemId: 'n1' });
  });

  it('calls anything else not found', () => {
    expect(parseRoute('/w/9b1d/secrets')).toEqual({ page: 'notFound', path: '/w/9b1d/secrets' });
    expect(parseRoute('/login/extra')).toEqual({ page: 'notFound', path: '/login/extra' });
  });

  it('round-trips through formatRoute', () => {
    for (const path of ['/', '/login', '/admin', '/w/a%20b/runs', '/w/x/runs/r1']) {
      expect(formatRoute(parseRoute(path))).toBe(path);
    }
  });
});
