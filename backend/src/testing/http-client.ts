/**
 * One HTTP client for tests and benchmarks against a running server: bearer token or session
 * cookie, objects sent as JSON (strings, bytes and FormData as they are), JSON answers parsed.
 */
export interface RequestOptions {
  cookie?: string;
  token?: string | null;
  /** Objects are sent as JSON; strings, Buffers and FormData as they are. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  body: any;
  headers: Headers;
}

export async function httpRequest(baseUrl: string, method: string, path: string, opts: RequestOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  // A browser sends its own origin with state-changing cookie requests (the CSRF check wants it).
  if (opts.cookie && !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) headers.origin = baseUrl;
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    if (typeof opts.body === 'string' || opts.body instanceof Uint8Array || opts.body instanceof FormData) {
      body = opts.body as BodyInit;
    } else {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
  }
  for (const [name, value] of Object.entries(opts.headers ?? {})) headers[name.toLowerCase()] = value;
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const parsed = type.includes('json') && text !== '' ? JSON.parse(text) : text;
  return { status: response.status, body: parsed, headers: response.headers };
}
