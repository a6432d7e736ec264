/**
 * A prose cell to HTML that is safe to insert into the page. `marked` only splits the text into
 * tokens; the HTML is written here from an allow-list of elements and attributes, every text is
 * escaped, raw HTML in the source is shown as text (only bare <br>, <sub>, <sup> pass), links and
 * images go through `urls.ts`. Nothing in the output runs script or loads from another address.
 *
 * `${name}` and `${name:money|pct|bp}` interpolate scalar outputs of other cells in prose (not in
 * code, links or image addresses); `\${…}` stays literal.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { safeImageSource, safeLinkHref } from './urls.ts';
import { formatInline, isInlineFormat, INLINE_FORMATS } from './value-format.ts';

export interface RenderOptions {
  /** Scalar outputs by name; a name missing here is shown marked and reported. */
  values?: Readonly<Record<string, unknown>>;
  /** Maps a workspace-relative image path to the URL the page loads it from (null: no such file). */
  workspaceImageUrl?: (path: string) => string | null;
}

export interface RenderedMarkdown {
  html: string;
  /** Names interpolated in prose, in order of first use. */
  references: string[];
  problems: string[];
}

interface Slot { raw: string; name: string; format: string | undefined }

const INTERPOLATION = /(\\?)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?\}/g;
const SLOT = /\uE000(\d+|E)\uE001/g;
const ALLOWED_RAW_TAGS = /^<(\/?)(br|sub|sup)\s*\/?>$/i;

export function renderMarkdown(source: string, options: RenderOptions = {}): RenderedMarkdown {
  const slots: Slot[] = [];
  // Private-use markers stand in for interpolations while marked tokenises, so a value can never
  // be read as Markdown; a private-use character already in the source is itself kept as a marker.
  const marked = source.replace(/\uE000/g, '\uE000E\uE001').replace(INTERPOLATION, (raw, escaped: string, name: string, format?: string) => {
    if (escaped) return raw;
    slots.push({ raw, name, format });
    return `\uE000${slots.length - 1}\uE001`;
  });
  const references: string[] = [];
  const problems: string[] = [];
  const literal = (text: string) => text.replace(SLOT, (_, i: string) => (i === 'E' ? '\uE000' : slots[Number(i)]!.raw));
  const interpolate = (escapedText: string) => escapedText.replace(SLOT, (_, i: string) => {
    if (i === 'E') return '\uE000';
    const slot = slots[Number(i)]!;
    if (!references.includes(slot.name)) references.push(slot.name);
    if (slot.format !== undefined && !isInlineFormat(slot.format)) {
      problems.push(`unknown format "${slot.format}" in ${slot.raw}: use ${INLINE_FORMATS.join(', ')}`);
      return missing(slot.raw, 'unknown format');
    }
    const values = options.values ?? {};
    if (!Object.hasOwn(values, slot.name)) {
      if (options.values) problems.push(`${slot.raw}: "${slot.name}" has no value (no cell defines it, or it has not run)`);
      return missing(slot.raw, 'no value yet');
    }
    const formatted = formatInline(values[slot.name], slot.format !== undefined && isInlineFormat(slot.format) ? slot.format : undefined);
    if (!formatted.ok) {
      problems.push(`${slot.raw}: "${slot.name}" ${formatted.reason}`);
      return missing(slot.raw, formatted.reason);
    }
    return `<span class="nb-value">${escapeAll(formatted.text)}</span>`;
  });

  const inline = (tokens: readonly Token[] | undefined): string => (tokens ?? []).map(renderInline).join('');
  const renderInline = (token: Token): string => {
    const t = token as Tokens.Generic;
    switch (t.type) {
      case 'text': return t.tokens ? inline(t.tokens) : interpolate(escapeText(t.text));
      case 'escape': return escapeAll(t.text);
      case 'strong': return `<strong>${inline(t.tokens)}</strong>`;
      case 'em': return `<em>${inline(t.tokens)}</em>`;
      case 'del': return `<del>${inline(t.tokens)}</del>`;
      case 'codespan': return `<code>${escapeText(literal(t.text))}</code>`;
      case 'br': return '<br>';
      case 'link': {
        const href = safeLinkHref(literal(t.href));
        const title = t.title ? ` title="${escapeText(literal(t.title))}"` : '';
        if (href === undefined) return `<span class="nb-blocked-link" title="link removed: only http, https, mailto and relative links are kept">${inline(t.tokens)}</span>`;
        return `<a href="${escapeAll(href)}"${title} rel="noopener noreferrer nofollow">${inline(t.tokens)}</a>`;
      }
      case 'image': {
        const src = safeImageSource(literal(t.href), options.workspaceImageUrl);
        const alt = escapeText(literal(t.text));
        if (!src.ok) {
          problems.push(`image "${literal(t.href).slice(0, 80)}" not shown: ${src.reason}`);
          return `<span class="nb-blocked-image" title="${escapeAll(src.reason)}">${alt}</span>`;
        }
        return `<img src="${escapeAll(src.src)}" alt="${alt}"${t.title ? ` title="${escapeText(literal(t.title))}"` : ''}>`;
      }
      case 'html': return ALLOWED_RAW_TAGS.test(t.text.trim()) ? t.text.trim().toLowerCase().replace(/\s*\/?>$/, '>') : escapeAll(literal(t.text));
      default: return 'text' in t && typeof t.text === 'string' ? interpolate(escapeText(t.text)) : '';
    }
  };
  const block = (token: Token): string => {
    const t = token as Tokens.Generic;
    switch (t.type) {
      case 'space': case 'def': return '';
      case 'heading': return `<h${t.depth}>${inline(t.tokens)}</h${t.depth}>\n`;
      case 'paragraph': return `<p>${inline(t.tokens)}</p>\n`;
      case 'text': return t.tokens ? inline(t.tokens) : interpolate(escapeText(t.text));
      case 'hr': return '<hr>\n';
      case 'blockquote': return `<blockquote>\n${(t.tokens ?? []).map(block).join('')}</blockquote>\n`;
      case 'code': {
        const lang = typeof t.lang === 'string' && /^[A-Za-z0-9_+-]+$/.test(t.lang) ? ` class="language-${t.lang}"` : '';
        return `<pre><code${lang}>${escapeAll(literal(t.text))}</code></pre>\n`;
      }
      case 'list': {
        const tag = t.ordered ? 'ol' : 'ul';
        const start = t.ordered && typeof t.start === 'number' && t.start !== 1 ? ` start="${Math.trunc(t.start)}"` : '';
        const items = (t.items as Tokens.ListItem[]).map((item) => {
          const box = item.task ? `<input type="checkbox" disabled${item.checked ? ' checked' : ''}> ` : '';
          return `<li>${box}${item.tokens.map(block).join('')}</li>\n`;
        });
        return `<${tag}${start}>\n${items.join('')}</${tag}>\n`;
      }
      case 'table': {
        const table = t as unknown as Tokens.Table;
        const align = (a: string | null) => (a === 'left' || a === 'right' || a === 'center' ? ` style="text-align:${a}"` : '');
        const head = table.header.map((c, i) => `<th${align(table.align[i] ?? null)}>${inline(c.tokens)}</th>`).join('');
        const rows = table.rows.map((r) => `<tr>${r.map((c, i) => `<td${align(table.align[i] ?? null)}>${inline(c.tokens)}</td>`).join('')}</tr>\n`).join('');
        return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}</tbody>\n</table>\n`;
      }
      case 'html': return `<p>${escapeAll(literal(t.text.replace(/\n+$/, '')))}</p>\n`;
      default: return renderInline(token);
    }
  };

  const tokens = new Lexer({ gfm: true, breaks: false }).lex(marked);
  return { html: tokens.map(block).join(''), references, problems };
}

function missing(raw: string, why: string): string {
  return `<span class="nb-missing" title="${escapeAll(why)}">${escapeAll(raw)}</span>`;
}

/** Escapes everything: for raw text (code blocks, attributes). */
export function escapeAll(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escapes markup but keeps character references (`&amp;`, `&#60;`): idempotent on text marked already escaped. */
function escapeText(text: string): string {
  return text.replace(/&(?!#[xX][0-9a-fA-F]+;|#\d+;|[A-Za-z][A-Za-z0-9]*;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
