/**
 * The one door to the API. Every call answers a value — `{ok: true, value}` or `{ok: false, error}` —
 * so screens show the server's sentence instead of catching exceptions. Cookies ride along
 * (same origin); the browser adds the Origin header the server's CSRF check wants.
 */
export interface ApiFailure {
  status: number; // 0 when the server could not be reached
  code: string;
  message: string;
  details?: unknown;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

let unauthorizedListener: (() => void) | null = null;

/** The auth context registers here: a 401 on any call (except login itself) ends the session view. */
export function onUnauthorized(listener: (() => void) | null): void {
  unauthorizedListener = listener;
}

/** Turns any error body (or none) into the API's error shape, keeping the server's message verbatim. */
export function failureFromBody(status: number, body: unknown, statusText = ''): ApiFailure {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.message === 'string') {
    return {
      status,
      code: typeof error.code === 'string' ? error.code : `http_${status}`,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    };
  }
  const fallback = status === 429 ? 'Too many attempts: wait a moment and try again.' : statusText || `Request failed (HTTP ${status}).`;
  return { status, code: `http_${status}`, message: fallback };
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Login answers 401 for a bad password: that is a message to show, not a lost session. */
  quietUnauthorized?: boolean;
  fetchImpl?: FetchLike;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
  const fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const init: RequestInit = { method: options.method ?? 'GET', credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (options.body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetchImpl(path, init);
  } catch {
    return { ok: false, error: { status: 0, code: 'network', message: 'The server cannot be reached. Check your connection and try again.' } };
  }
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !options.quietUnauthorized) unauthorizedListener?.();
    return { ok: false, error: failureFromBody(response.status, body, response.statusText) };
  }
  return { ok: true, value: body as T };
}

export const api = {
  get: <T>(path: string) => request<T>(path),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body }),
  del: (path: string) => request<null>(path, { method: 'DELETE' }),
};

/** Workspace-scoped path, with ids encoded so a stray character can never change the route. */
export function wsPath(workspaceId: string, ...rest: string[]): string {
  return ['/api/workspaces', workspaceId, ...rest].map((part, i) => (i === 0 ? part : encodeURIComponent(part))).join('/');
}
