/**
 * The URLs rendered Markdown may hold. Links navigate (http, https, mailto, relative); images load,
 * so they are only `data:` raster images or paths inside the workspace — nothing is fetched from
 * elsewhere. A URL is judged after decoding what a browser would decode (character references,
 * tabs and newlines inside the scheme), and the decoded form is what is written out.
 */
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n', sol: '/', lpar: '(', rpar: ')', period: '.', nbsp: '\u00A0' };

/** Decodes character references; undefined when one is unknown (refused rather than guessed). */
export function decodeReferences(text: string): string | undefined {
  let unknown = false;
  const out = text.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z][A-Za-z0-9]*);?/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
    }
    const named = NAMED[body.toLowerCase()];
    if (named === undefined) unknown = true;
    return named ?? whole;
  });
  return unknown ? undefined : out;
}

function clean(raw: string): string | undefined {
  const decoded = decodeReferences(raw);
  // browsers drop tabs and newlines anywhere and C0 controls and spaces at the ends
  return decoded?.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

export function safeLinkHref(raw: string): string | undefined {
  const url = clean(raw);
  if (url === undefined || /[\u0000-\u001F\u007F]/.test(url)) return undefined;
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return url;
  return scheme === 'http' || scheme === 'https' || scheme === 'mailto' ? url : undefined;
}

export type ImageSource = { ok: true; src: string } | { ok: false; reason: string };

export function safeImageSource(raw: string, workspaceUrl?: (path: string) => string | null): ImageSource {
  const url = clean(raw);
  if (url === undefined) return { ok: false, reason: 'its address uses an unknown character reference' };
  if (/^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/i.test(url)) return { ok: true, src: url.replace(/\s/g, '') };
  if (SCHEME.test(url) || /^[\\/]/.test(url)) return { ok: false, reason: 'images load only from the workspace or a data: URL, never from another address' };
  const path = url.replace(/^\.\//, '');
  if (!/^[A-Za-z0-9._~\- /%]+$/.test(path) || path.split('/').some((segment) => segment === '..' || segment === '')) return { ok: false, reason: 'an image path is a plain path inside the workspace (no "..")' };
  if (!workspaceUrl) return { ok: true, src: `./${path}` };
  const src = workspaceUrl(path);
  return src === null ? { ok: false, reason: `the workspace has no image ${path}` } : { ok: true, src };
}
