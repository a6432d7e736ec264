import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostileSources } from '../fixtures/hostile-sources.ts';
import { parseNotebookText, serializeNotebook } from './document.ts';
import { CELL_KINDS, type NotebookCell, type NotebookDocument } from './schema.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const parse = (text: string): NotebookDocument => {
  const parsed = parseNotebookText(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.document;
};

describe('notebook format v2 (Markdown file)', () => {
  it('every fixture survives parse(serialize(doc)) == doc', () => {
    for (const name of ['v1-irrbb-report.json', 'v2-irrbb-report.md', 'v2-all-kinds.md', 'v2-hostile-sources.md', 'v2-hand-written.md']) {
      const doc = parse(fixture(name));
      expect(parse(serializeNotebook(doc)), name).toEqual(doc);
    }
  });

  it('the hostile sources read back exactly and serialize to the checked-in bytes', () => {
    const text = fixture('v2-hostile-sources.md');
    expect(parse(text)).toEqual(hostileSources);
    expect(serializeNotebook(hostileSources)).toBe(text);
    // prose that holds a cell fence or marker is written fenced, with a fence longer than its backticks
    expect(text).toContain('````markdown id=prose-with-cell-fence\n');
    expect(text).toContain('`````sql id=sql-with-backticks name=ticks\n');
    // an id holding a backtick moves the cell to a tilde fence (a backtick fence's info string cannot hold one)
    expect(text).toContain('~~~chart id="id with spaces & \\"quotes\\" `ticks` -->"\n');
    expect(text).toContain('<!-- cell id=prose-plain -->\n# Heading\n');
    expect(text).toContain('SELECT 1\r\nUNION ALL\r\n');
  });

  it('a hand-written file (BOM, CRLF, prose without markers, a fence without id) reads as the author meant', () => {
    const doc = parse(fixture('v2-hand-written.md'));
    expect(doc.title).toBe('Written by hand on Windows');
    expect(doc.cells).toEqual([
      { id: 'md-7', kind: 'markdown', source: 'Prose before any marker becomes a cell of its own.\n\n```sql\nSELECT 1 -- a fence without id is prose, not a cell\n```' },
      { id: 'q', kind: 'sql', name: 'q', source: 'SELECT 2' },
      { id: 'md-16', kind: 'markdown', source: 'Trailing prose after a cell.' },
      { id: 'm', kind: 'markdown', source: 'Marked prose' },
    ]);
  });

  it('the all-kinds fixture is in the written layout already: serializing it gives its bytes back', () => {
    const text = fixture('v2-all-kinds.md');
    const doc = parse(text);
    expect(doc.cells.map((c) => c.kind)).toEqual(['markdown', 'input', 'input', 'input', 'input', 'input', 'input', 'sql', 'ts', 'sql', 'grid', 'chart', 'chart', 'chart', 'chart']);
    expect(doc.cells.find((c) => c.id === 'eve_table')).toMatchObject({ kind: 'sql', lazy: true });
    expect(serializeNotebook(doc)).toBe(text);
  });

  it('random documents built from nasty fragments round-trip (500 documents, fixed seed)', () => {
    const fragments = ['```', '````', '~~~', '`', '---', '<!-- cell id=x -->', '```sql id=a', '```markdown id=b', '~~~ts id=c', ' ```', '\r', '\r\n', '\n', '\n\n', '${x:money}', 'مرحبا', '\u202E', '👩‍👩‍👧', 'e\u0301', '\u0007', '\u2028', 'title: x', '"', '\\', 'id=', ' ', '\t', 'SELECT 1'];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    for (let n = 0; n < 500; n++) {
      const cells: NotebookCell[] = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => {
        const source = Array.from({ length: Math.floor(random() * 8) }, () => pick(fragments)).join('');
        const kind = pick(CELL_KINDS);
        const id = random() < 0.2 ? `${pick(fragments)}${i}` : `c${i}`;
        return kind === 'sql' || kind === 'ts' ? { id, kind, source, ...(random() < 0.3 ? { lazy: random() < 0.5 } : {}) } : { id, kind, source };
      });
      const doc: NotebookDocument = { format: 'almready-notebook', version: 2, title: pick(fragments).trim() || 'T', cells };
      const text = serializeNotebook(doc);
      expect(parse(text), text).toEqual(doc);
    }
  });

  it('refuses broken files with the line and what to fix', () => {
    const head = '---\nformat: almready-notebook\nversion: 2\ntitle: T\n---\n\n';
    const reason = (text: string) => { const r = parseNotebookText(text); return r.ok ? 'parsed' : r.reason; };
    expect(reason(`${head}\`\`\`sql id=a\nSELECT 1\n`)).toBe('Notebook file is not readable: line 7: the sql cell opened here is never closed (end it with a line ```)');
    expect(reason(`${head}\`\`\`sql id=a colour=red\nSELECT 1\n\`\`\`\n`)).toBe('Notebook file is not readable: line 7: a sql cell has no option "colour" (its options: id, name, lazy)');
    expect(reason(`${head}\`\`\`chart id=a lazy\n{}\n\`\`\`\n`)).toContain('a chart cell has no option "lazy"');
    expect(reason(`${head}\`\`\`sql id="a\nSELECT 1\n\`\`\`\n`)).toContain('line 7: the quoted value of option "id" is not closed');
    expect(reason(`${head}\`\`\`sql id=a id=b\n\`\`\`\n`)).toContain('option "id" is given twice');
    expect(reason('---\nformat: almready-notebook\nversion: 2\ntitle: T\n')).toContain('never closed by a second "---" line');
    expect(reason('---\nformat: almready-notebook\nversion: 2\ntitle T\n---\n')).toBe('Notebook file is not readable: line 4: a header line is "key: value", found "title T"');
    expect(reason('---\nformat: almready-notebook\nversion: 2\ntitle: T\ncolour: red\n---\n')).toBe('Invalid notebook: Unrecognized key: "colour"');
    expect(reason('---\nformat: almready-notebook\nversion: 3\ntitle: T\n---\n')).toContain('Notebook format version 3 is newer than this ALMReady (2); upgrade ALMReady to open it.');
    expect(reason(`${head}\`\`\`sql id=a name=by-product\n\`\`\`\n`)).toContain('at cells.0.name: a cell name is an identifier');
    expect(reason('# just markdown')).toContain('starts neither with a "---" header');
  });

  it('titles that YAML would misread are quoted, and read back as text', () => {
    for (const title of ['true', '2024', 'a: b', ' padded ', '', '#1', '- item', 'null', 'Plain title (EUR, 2024)']) {
      const text = serializeNotebook({ format: 'almready-notebook', version: 2, title, cells: [] });
      expect(parse(text).title).toBe(title);
      if (title === 'Plain title (EUR, 2024)') expect(text).toContain(`title: ${title}\n`);
      else expect(text).toContain(`title: ${JSON.stringify(title)}\n`);
    }
  });
});
