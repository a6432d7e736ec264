/**
 * What in an HTML text would make a browser fetch something: a check for the report export (and
 * its tests, here and in the server's), written from the tag and attribute grammar a browser
 * tokenises by, not from what the renderer happens to write.
 */
/** Every tag with its attributes, read the way a browser tokenises them (quoted, unquoted, bare). */
export function htmlTags(html: string): { name: string; attrs: Map<string, string> }[] {
  const out: { name: string; attrs: Map<string, string> }[] = [];
  const tag = /<([A-Za-z][A-Za-z0-9:-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
  for (const m of html.matchAll(tag)) {
    const attrs = new Map<string, string>();
    for (const a of m[2]!.matchAll(/([^\s"'>\/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g)) attrs.set(a[1]!.toLowerCase(), (a[2] ?? '').replace(/^["']|["']$/g, ''));
    out.push({ name: m[1]!.toLowerCase(), attrs });
  }
  return out;
}

/** Everything in the file that would make a browser fetch something, in words (empty: nothing). */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const { name, attrs } of htmlTags(html)) {
    if (['script', 'link', 'iframe', 'frame', 'object', 'embed', 'base', 'audio', 'video', 'source', 'track', 'use', 'image', 'form', 'input'].includes(name) && !(name === 'input' && attrs.get('type') === 'checkbox')) found.push(`<${name}>`);
    for (const [attr, value] of attrs) {
      if (attr.startsWith('on')) found.push(`${name} ${attr}=`);
      if (['src', 'srcset', 'poster', 'data', 'xlink:href', 'action', 'formaction', 'background', 'ping'].includes(attr) && !(attr === 'src' && /^data:image\//.test(value))) found.push(`${name} ${attr}="${value}"`);
      if (attr === 'href' && name !== 'a') found.push(`${name} href="${value}"`);
      if (attr === 'style' && /url\(|@import|expression\(/i.test(value)) found.push(`${name} style with a load`);
      if (name === 'meta' && attr === 'http-equiv' && /refresh/i.test(value)) found.push('meta refresh');
    }
  }
  for (const style of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) if (/url\(|@import|@font-face/i.test(style[1]!)) found.push('a load in <style>');
  return found;
}
