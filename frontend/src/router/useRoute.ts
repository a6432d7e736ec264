import { useSyncExternalStore } from 'react';
import { formatRoute, parseRoute, type Route } from './route.ts';

const ROUTE_EVENT = 'almready:navigate';

function subscribe(callback: () => void): () => void {
  window.addEventListener('popstate', callback);
  window.addEventListener(ROUTE_EVENT, callback);
  return () => {
    window.removeEventListener('popstate', callback);
    window.removeEventListener(ROUTE_EVENT, callback);
  };
}

const pathname = () => window.location.pathname;

export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, pathname));
}

export function navigate(route: Route | string, options: { replace?: boolean } = {}): void {
  const target = typeof route === 'string' ? route : formatRoute(route);
  if (target === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  window.dispatchEvent(new Event(ROUTE_EVENT));
}
