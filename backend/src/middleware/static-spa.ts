/**
 * Serves the built SPA (frontend/dist). Files under /assets/ carry a content hash in their
 * name, so they are cached for a year; index.html is revalidated every time so a deploy shows
 * up on the next load. Any other non-API GET that is not a file falls back to index.html
 * (client-side routes like /workspaces/…).
 */
import { createReadStream, statSync, type Stats } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Middleware } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2',
  '.ttf': 'font/ttf', '.txt': 'text/plain; charset=utf-8', '.wasm': 'application/wasm', '.webmanifest': 'application/manifest+json',
};

function fileAt(root: string, urlPath: string): { path: string; stats: Stats } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const path = normalize(join(root, decoded));
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    const stats = statSync(path);
    return stats.isFile() ? { path, stats } : null;
  } catch {
    return null;
  }
}

export function staticSpa(staticDir: string | null): Middleware {
  const root = staticDir === null ? null : normalize(staticDir);
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path === '/api' || ctx.path.startsWith('/api/')) return next();
    if (root === null) return next();
    const file = ctx.path === '/' ? null : fileAt(root, ctx.path);
    if (file) {
      ctx.type = TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
      ctx.set('Cache-Control', ctx.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      ctx.lastModified = file.stats.mtime;
      // HEAD: headers only; a stream opened here would never be read.
      if (ctx.method === 'HEAD') ctx.status = 200;
      else ctx.body = createReadStream(file.path);
      ctx.length = file.stats.size;
      return;
    }
    // A missing hashed asset is a real 404, not the app shell (which would fail as a script).
    if (ctx.path.startsWith('/assets/') || extname(ctx.path) !== '') return next();
    const index = fileAt(root, '/index.html');
    if (!index) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'The web app is not built yet: run `npm run build` (or `npm start`, which builds it), then reload.';
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = createReadStream(index.path);
  };
}
