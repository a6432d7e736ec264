/**
 * Paths are judged once, before any other middleware: a path with more than one spelling is
 * refused with 404, so no later check (CORS, static files, the route guards) can see one spelling
 * while the router matches another. Refused everywhere: double slashes, dot segments,
 * backslashes, NUL, malformed percent escapes and escapes of characters that need none (letters,
 * digits, `-._~`); and for the API also any `/api` prefix not spelt exactly `/api/`, and a
 * trailing slash. Route params may still carry escapes of other characters (a mapping name with
 * a space is `%20`; `%2F` stays inside its segment, since nothing decodes the path before the
 * router matches it, and the param's own check refuses it).
 */
import type { Middleware } from 'koa';
import { AppError } from '../app-error.ts';

const ESCAPE = /%([0-9A-Fa-f]{2})/g;
const UNNEEDED_ESCAPE = /^[A-Za-z0-9\-._~]$/;

export function isCanonicalPath(rawPath: string): boolean {
  if (!rawPath.startsWith('/') || rawPath.includes('//') || rawPath.includes('\\')) return false;
  if (/%(?![0-9A-Fa-f]{2})/.test(rawPath)) return false;
  for (const [, hex] of rawPath.matchAll(ESCAPE)) {
    const code = Number.parseInt(hex!, 16);
    if (code === 0 || UNNEEDED_ESCAPE.test(String.fromCharCode(code))) return false;
  }
  if (rawPath.split('/').some((segment) => segment === '.' || segment === '..')) return false;
  const lower = rawPath.toLowerCase();
  if (lower === '/api' || lower.startsWith('/api/')) {
    if (!rawPath.startsWith('/api/') || rawPath.endsWith('/')) return false;
  }
  return true;
}

export function canonicalPath(): Middleware {
  return async (ctx, next) => {
    const raw = ctx.req.url ?? '';
    const query = raw.indexOf('?');
    const rawPath = query === -1 ? raw : raw.slice(0, query);
    // Koa's ctx.path comes from parsing the same URL; if the two differ (absolute-form targets,
    // `//host/...`), the router would see a path the checks did not.
    if (!isCanonicalPath(rawPath) || ctx.path !== rawPath) {
      throw new AppError(404, 'not_found', `No route for ${ctx.method} ${rawPath.slice(0, 200)}; API paths are lower-case, with no trailing, double or encoded slashes and no encoded letters.`);
    }
    return next();
  };
}
