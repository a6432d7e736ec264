/**
 * Format v2 on disk: one Markdown file per notebook. A `---` header carries the format version and
 * the notebook's metadata; every computing or view cell is a fenced block whose fence line carries
 * its kind and options (```` ```sql id=by_product name=by_product ````); a prose cell is plain
 * Markdown after a `<!-- cell id=… -->` marker, so the file reads well in a diff and on any Markdown
 * viewer. A prose cell whose text could be mistaken for a cell boundary is written fenced as
 * ```` ```markdown id=… ```` instead, so every document survives `parse(serialize(doc))`.
 *
 * Layout written: header, then each cell preceded by one blank line, then a final newline. The
 * reader is line based (only "\n" ends a line, so "\r" and other separators stay in sources).
 */
import { formatFrontMatter, parseFrontMatter } from './front-matter.ts';
import { formatOptions, parseOptions } from './options.ts';
import { CELL_KINDS, isComputingKind, type CellKind, type NotebookCell, type NotebookDocument } from './schema.ts';

const KIND = CELL_KINDS.join('|');
const OPENER = new RegExp(`^(\`{3,}|~{3,})(${KIND})(?:[ \\t]+([^\\n]*?))?[ \\t]*$`);
const MARKER = /^<!-- cell(?:[ \t]+([^\n]*?))?[ \t]*-->[ \t]*$/;
/** Lines a reader could take for a boundary: prose holding one is written fenced. */
const BOUNDARY_LIKE = new RegExp(`^(?:(?:\`{3,}|~{3,})(?:${KIND})(?![A-Za-z0-9_])|<!--\\s*cell(?![A-Za-z0-9_]))`);

export function serializeNotebookText(doc: NotebookDocument): string {
  let out = formatFrontMatter([['format', doc.format], ['version', doc.version], ['title', doc.title], ['description', doc.description], ['lazy', doc.lazy]]);
  for (const cell of doc.cells) out += `\n${serializeCell(cell)}`;
  return out;
}

function cellOptions(cell: NotebookCell): string {
  return formatOptions([['id', cell.id], ['name', cell.name], ['lazy', isComputingKind(cell.kind) && 'lazy' in cell ? cell.lazy : undefined]]);
}

function serializeCell(cell: NotebookCell): string {
  const options = cellOptions(cell);
  if (cell.kind === 'markdown' && !cell.source.split('\n').some((line) => BOUNDARY_LIKE.test(line))) {
    return `<!-- cell ${options} -->\n${cell.source}\n`;
  }
  const info = `${cell.kind} ${options}`;
  const char = info.includes('`') ? '~' : '`'; // a backtick fence's info string cannot hold a backtick
  const longest = Math.max(0, ...(cell.source.match(char === '`' ? /`+/g : /~+/g) ?? []).map((run) => run.length));
  const fence = char.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${cell.source}\n${fence}\n`;
}

export type RawParse = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

/** Reads the file into a plain object; the caller migrates and validates it with the schema. */
export function parseNotebookMarkdown(input: string): RawParse {
  let text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  if (text.startsWith('---\r\n')) text = text.replaceAll('\r\n', '\n'); // a file checked out with CRLF endings
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== '---') return { ok: false, reason: 'line 1: a notebook file starts with a "---" header line' };
  const close = lines.indexOf('---', 1);
  if (close < 0) return { ok: false, reason: 'line 1: the "---" header is never closed by a second "---" line' };
  const header = parseFrontMatter(lines.slice(1, close), 2);
  if (!header.ok) return header;

  const cells: Record<string, unknown>[] = [];
  let prose: { start: number; id: string | undefined; marked: boolean; options: Map<string, unknown> } = { start: close + 1, id: undefined, marked: false, options: new Map() };
  const flush = (end: number, atBoundary: boolean) => {
    let body = lines.slice(prose.start, end);
    if (prose.marked) {
      if (atBoundary && body.length > 1 && body.at(-1) === '') body = body.slice(0, -1);
      cells.push(cellObject('markdown', prose.options, body.join('\n')));
      return;
    }
    while (body.length > 0 && body[0]!.trim() === '') { body = body.slice(1); prose.start++; }
    while (body.length > 0 && body.at(-1)!.trim() === '') body = body.slice(0, -1);
    if (body.length > 0) cells.push(cellObject('markdown', new Map([['id', `md-${prose.start + 1}`]]), body.join('\n')));
  };

  for (let i = close + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = MARKER.exec(line);
    if (marker) {
      const options = readOptions(marker[1] ?? '', 'markdown', i + 1);
      if (!options.ok) return options;
      flush(i, true);
      prose = { start: i + 1, id: undefined, marked: true, options: options.value };
      continue;
    }
    const opener = OPENER.exec(line);
    if (!opener || !/(^|[ \t])id=/.test(opener[3] ?? '')) continue;
    const kind = opener[2] as CellKind;
    const options = readOptions(opener[3] ?? '', kind, i + 1);
    if (!options.ok) return options;
    const fence = opener[1]!;
    const closer = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    let end = i + 1;
    while (end < lines.length && !closer.test(lines[end]!)) end++;
    if (end >= lines.length) return { ok: false, reason: `line ${i + 1}: the ${kind} cell opened here is never closed (end it with a line ${fence})` };
    flush(i, true);
    cells.push(cellObject(kind, options.value, lines.slice(i + 1, end).join('\n')));
    prose = { start: end + 1, id: undefined, marked: false, options: new Map() };
    i = end;
  }
  flush(lines.length, false);
  return { ok: true, value: { ...header.values, cells } };
}

const KNOWN_OPTIONS = ['id', 'name', 'lazy'] as const;

function readOptions(text: string, kind: CellKind, line: number): { ok: true; value: Map<string, unknown> } | { ok: false; reason: string } {
  const parsed = parseOptions(text);
  if (!parsed.ok) return { ok: false, reason: `line ${line}: ${parsed.reason}` };
  const known: readonly string[] = isComputingKind(kind) ? KNOWN_OPTIONS : ['id', 'name'];
  for (const key of parsed.options.keys()) {
    if (!known.includes(key)) return { ok: false, reason: `line ${line}: a ${kind} cell has no option "${key}" (its options: ${known.join(', ')})` };
  }
  if (!parsed.options.has('id')) return { ok: false, reason: `line ${line}: a ${kind} cell needs an id (id=…)` };
  return { ok: true, value: parsed.options };
}

function cellObject(kind: CellKind, options: Map<string, unknown>, source: string): Record<string, unknown> {
  const cell: Record<string, unknown> = { id: options.get('id'), kind, source };
  if (options.has('name')) cell.name = options.get('name');
  if (options.has('lazy')) cell.lazy = options.get('lazy');
  return cell;
}
