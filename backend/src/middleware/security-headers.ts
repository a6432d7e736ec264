/**
 * Helmet with a CSP fit for the SPA: scripts only from our origin (no inline script), Monaco's
 * web workers from blob: URLs, fonts and images from data: URLs. Inline styles are allowed
 * because Monaco and AG Grid position elements with style attributes at run time. Framing is
 * denied by both headers alike (`frame-ancestors 'none'` and `X-Frame-Options: DENY`, for old
 * browsers). HSTS only on HTTPS (directly, or behind a trusted TLS proxy): over plain HTTP the
 * header is ignored by browsers and would only pin a name to HTTPS before it serves it.
 */
import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(): Middleware {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'", 'data:'],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Cross-origin isolation would block the CSV export download in some browsers; not needed.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: false,
  });
  return async (ctx, next) => {
    // ctx.secure honours X-Forwarded-Proto only when the proxy is trusted (ALMREADY_TRUST_PROXY).
    if (ctx.secure) ctx.set('Strict-Transport-Security', HSTS);
    return headers(ctx, next);
  };
}
