import { describe, expect, it } from 'vitest';
import { analyseMarkdown } from '../cells/markdown-analysis.ts';
import { renderMarkdown } from './render.ts';

const html = (source: string, values?: Record<string, unknown>) => renderMarkdown(source, values ? { values } : {}).html;

/** Every tag the renderer may write, and nothing that runs script or loads from elsewhere. */
function expectSafe(out: string): void {
  const tags = [...out.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[1]!.toLowerCase());
  const allowed = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 'code', 'pre', 'a', 'img', 'br', 'sub', 'sup', 'ul', 'ol', 'li', 'input', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'blockquote', 'hr', 'span']);
  for (const tag of tags) expect(allowed.has(tag), `tag <${tag}> in ${out}`).toBe(true);
  expect(out).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
  expect(out).not.toMatch(/(href|src)="\s*(javascript|vbscript|data:text|file)/i);
  for (const src of out.matchAll(/src="([^"]*)"/g)) expect(src[1]).toMatch(/^(data:image\/(png|jpeg|gif|webp);base64,|\.\/)/);
}

describe('markdown rendering', () => {
  it('renders the usual Markdown', () => {
    expect(html('# IRRBB & NII\n\nEVE *falls*, **much**; see `alm.run()`.\n\n- one\n- [x] done\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```sql\nSELECT 1 < 2\n```')).toBe(
      '<h1>IRRBB &amp; NII</h1>\n<p>EVE <em>falls</em>, <strong>much</strong>; see <code>alm.run()</code>.</p>\n<ul>\n<li>one</li>\n<li><input type="checkbox" disabled checked> done</li>\n</ul>\n'
      + '<table>\n<thead><tr><th style="text-align:left">a</th><th style="text-align:right">b</th></tr></thead>\n<tbody>\n<tr><td style="text-align:left">1</td><td style="text-align:right">2</td></tr>\n</tbody>\n</table>\n'
      + '<pre><code class="language-sql">SELECT 1 &lt; 2</code></pre>\n',
    );
    expect(html('[methodology](docs/methodology.md "the contract") and <https://www.bis.org/bcbs/publ/d368.htm>')).toBe(
      '<p><a href="docs/methodology.md" title="the contract" rel="noopener noreferrer nofollow">methodology</a> and <a href="https://www.bis.org/bcbs/publ/d368.htm" rel="noopener noreferrer nofollow">https://www.bis.org/bcbs/publ/d368.htm</a></p>\n',
    );
    expect(html('H<sub>2</sub>O, x<sup>2</sup><br>next')).toBe('<p>H<sub>2</sub>O, x<sup>2</sup><br>next</p>\n');
  });

  it('script, event handlers and raw HTML are shown as text, never as markup', () => {
    const attacks = [
      '<script>alert(1)</script>',
      'inline <script>alert(1)</script> here',
      '<img src=x onerror=alert(1)>',
      '<div onclick="alert(1)">click</div>',
      '<a href="javascript:alert(1)">x</a>',
      '<svg onload=alert(1)>',
      '<iframe src="https://evil.example"></iframe>',
      '<sub onclick=alert(1)>x</sub>',
      '<style>body{background:url(https://evil.example/x)}</style>',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
      '<scr<script>ipt>alert(1)</script>',
      '`<script>` and ```<img onerror=1>```',
    ];
    for (const attack of attacks) {
      const out = html(attack);
      expectSafe(out);
      expect(out, attack).not.toMatch(/<(script|img|div|svg|iframe|style|a )/i);
    }
    expect(html('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    expect(html('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>\n');
  });

  it('javascript: and other schemes are removed from links, however they are spelled', () => {
    const links = [
      '[x](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[x](&#106;avascript:alert(1))', '[x](&#x6A;avascript&colon;alert(1))',
      '[x](java&#x09;script:alert(1))', '[x](java&Tab;script:alert(1))', '[x]( javascript:alert(1))', '[x](vbscript:msgbox)', '[x](data:text/html;base64,PHNjcmlwdD4=)',
      '[x][r]\n\n[r]: javascript:alert(1)', '<javascript:alert(1)>', '[x](&unknown;javascript:alert(1))', '[x](file:///etc/passwd)',
    ];
    for (const link of links) {
      const out = html(link);
      expectSafe(out);
      expect(out, link).not.toContain('<a ');
    }
    expect(html('[x](javascript:alert(1))')).toBe('<p><span class="nb-blocked-link" title="link removed: only http, https, mailto and relative links are kept">x</span></p>\n');
    expect(html('[x](/a "t\\" onmouseover=\\"alert(1)")')).toBe('<p><a href="/a" title="t&quot; onmouseover=&quot;alert(1)" rel="noopener noreferrer nofollow">x</a></p>\n');
    expect(html('[m](mailto:alm@bank.example)')).toContain('<a href="mailto:alm@bank.example"');
  });

  it('images load only from data: raster URLs or the workspace; external ones are not loaded and are reported', () => {
    for (const image of ['![x](https://evil.example/t.png)', '![x](//evil.example/t.png)', '![x](\\\\evil.example\\t.png)', '![x](/etc/passwd)', '![x](../other-workspace/a.png)', '![x](data:image/svg+xml;base64,PHN2Zz4=)', '![x](&#104;ttps://evil.example/t.png)', '![x](javascript:alert(1))']) {
      const out = renderMarkdown(image);
      expectSafe(out.html);
      expect(out.html, image).not.toContain('<img');
      expect(out.problems.length, image).toBe(1);
    }
    expect(renderMarkdown('![logo](https://cdn.example/logo.png)').problems).toEqual(['image "https://cdn.example/logo.png" not shown: images load only from the workspace or a data: URL, never from another address']);
    expect(html('![chart](images/gap.png "Gap")')).toBe('<p><img src="./images/gap.png" alt="chart" title="Gap"></p>\n');
    expect(renderMarkdown('![c](images/gap.png)', { workspaceImageUrl: (p) => `/api/workspaces/w1/files/${encodeURIComponent(p)}` }).html).toBe('<p><img src="/api/workspaces/w1/files/images%2Fgap.png" alt="c"></p>\n');
    expect(html('![dot](data:image/png;base64,iVBORw0KGgo=)')).toBe('<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="dot"></p>\n');
  });

  it('interpolates scalar outputs with money, pct and bp formats', () => {
    const values = { eve_base: -1234567.89, ratio: 0.05234, shock: 0.02, small: 0.000125, label: 'EUR <book>', n: 42.123456 };
    expect(html('ΔEVE ${eve_base:money} is ${ratio:pct} of Tier 1 under a ${shock:bp} shock (${small:bp}); ${label}, ${n}.', values)).toBe(
      '<p>ΔEVE <span class="nb-value">-1,234,568</span> is <span class="nb-value">5.23%</span> of Tier 1 under a <span class="nb-value">200 bp</span> shock (<span class="nb-value">1.3 bp</span>); <span class="nb-value">EUR &lt;book&gt;</span>, <span class="nb-value">42.1235</span>.</p>\n',
    );
    // a value is text, never Markdown or HTML
    expect(html('${v}', { v: '**bold** <script>alert(1)</script>' })).toBe('<p><span class="nb-value">**bold** &lt;script&gt;alert(1)&lt;/script&gt;</span></p>\n');
    // code and escaped interpolations stay literal
    expect(html('`${x}` and \\${x}', { x: 1 })).toBe('<p><code>${x}</code> and ${x}</p>\n');
  });

  it('missing values, tables and unknown formats are marked in place and reported', () => {
    const out = renderMarkdown('${gone} ${table} ${x:eur} ${word:pct}', { values: { table: [{ a: 1 }], x: 1, word: 'high' } });
    expect(out.problems).toEqual([
      '${gone}: "gone" has no value (no cell defines it, or it has not run)',
      '${table}: "table" is a list, not a single value',
      'unknown format "eur" in ${x:eur}: use money, pct, bp',
      '${word:pct}: "word" is not a number, so it has no pct format',
    ]);
    expect(out.html).toContain('<span class="nb-missing" title="no value yet">${gone}</span>');
    expect(out.references).toEqual(['gone', 'table', 'x', 'word']);
  });

  it('a private-use character in the source survives', () => {
    expect(html('a\uE000b\uE0010\uE001 ${x}', { x: 1 })).toBe('<p>a\uE000b\uE0010\uE001 <span class="nb-value">1</span></p>\n');
  });
});

describe('markdown cell analysis', () => {
  it('interpolated names are inputs; code is not', () => {
    expect(analyseMarkdown('EVE ${eve_base:money}, ${ratio:pct} and ${eve_base}; `${not_this}`\n\n```\n${nor_this}\n```')).toEqual({ defines: [], uses: ['eve_base', 'ratio'], problems: [] });
    expect(analyseMarkdown('${x:eur}').problems).toEqual([{ message: 'unknown format "eur" in ${x:eur}: use money, pct, bp' }]);
  });
});
