/**
 * What the editor's languages know about a notebook, as pure functions: the TypeScript
 * declarations of the names other cells define (so a `ts` cell type-checks against them with
 * `alm.d.ts`), and the tables and columns `sql` cells complete (dataset tables, earlier results
 * by cell name, run tables). Fed from the document and the stored outputs.
 */
import { inputSpecSchema, type CellOutput, type NotebookCell, type TableHandle } from '@almready/notebooks';

/** The Monaco model address of a cell (`file:///cells/<id>.ts`): TypeScript and markers find the cell by it. */
export const cellPath = (cellId: string, kind: string) => `file:///cells/${encodeURIComponent(cellId)}.${kind === 'ts' ? 'ts' : kind === 'sql' ? 'sql' : 'txt'}`;

export interface CellProblem { line: number; column: number; message: string; severity: 'error' | 'warning' }

export interface SqlTable { name: string; columns: { name: string; type: string }[]; detail: string }

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A TypeScript type for a JSON value a cell exported (tables as AlmTable). */
export function typeOfValue(value: unknown, depth = 0): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number': return 'number';
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    case 'object': break;
    default: return 'unknown';
  }
  if (depth > 4) return 'any';
  if (Array.isArray(value)) {
    const types = [...new Set(value.slice(0, 20).map((v) => typeOfValue(v, depth + 1)))];
    return types.length === 0 ? 'AlmValue[]' : types.length === 1 ? `${types[0]}[]` : `(${types.join(' | ')})[]`;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.$almTable === 'string' && Object.keys(record).length === 1) return 'AlmTable';
  const fields = Object.entries(record).slice(0, 50).map(([k, v]) => `${IDENT.test(k) ? k : JSON.stringify(k)}: ${typeOfValue(v, depth + 1)}`);
  return `{ ${fields.join('; ')}${fields.length ? ';' : ''} }`;
}

/** `export const x`, `export function f`, `export { a, b as c }` of a ts cell not run yet. */
export function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/^\s*export\s+(?:const|let|var|function\*?|class)\s+([A-Za-z_$][A-Za-z0-9_$]*)/gm)) names.add(m[1]!);
  for (const m of source.matchAll(/^\s*export\s*\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name && IDENT.test(name)) names.add(name);
    }
  }
  return [...names];
}

function inputType(cell: NotebookCell): string {
  try {
    const spec = inputSpecSchema.safeParse(JSON.parse(cell.source));
    if (!spec.success) return 'AlmValue';
    switch (spec.data.type) {
      case 'number': case 'tier1': return 'number';
      case 'scenarios': return 'string[]';
      case 'select': return spec.data.options.every((o) => typeof o === 'number') ? 'number' : 'string | number';
      case 'date': case 'dataset': return 'string';
    }
  } catch {
    return 'AlmValue';
  }
}

/** Global declarations of every name the notebook's cells define, but the names `exclude` (the edited cell's own). */
export function cellDeclarations(cells: readonly NotebookCell[], outputs: Readonly<Record<string, CellOutput | null | undefined>>, exclude: ReadonlySet<string> = new Set()): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  const add = (name: string, type: string, doc: string) => {
    if (seen.has(name) || exclude.has(name) || !IDENT.test(name)) return;
    seen.add(name);
    lines.push(`  /** ${doc.replace(/\*\//g, '* /')} */\n  const ${name}: ${type};`);
  };
  for (const cell of cells) {
    const output = outputs[cell.id];
    if (cell.kind === 'sql' && cell.name) add(cell.name, 'AlmTable', `result of SQL cell ${cell.name}${output?.kind === 'sql' ? ` (${output.table.rowCount} rows: ${output.table.columns.map((c) => c.name).join(', ')})` : ''}`);
    if (cell.kind === 'input' && cell.name) add(cell.name, inputType(cell), `input ${cell.name}`);
    if (cell.kind === 'ts') {
      if (output?.kind === 'ts') for (const [name, value] of Object.entries(output.values)) add(name, typeOfValue(value), `exported by ts cell ${cell.name ?? cell.id}`);
      else for (const name of exportedNames(cell.source)) add(name, 'any', `exported by ts cell ${cell.name ?? cell.id} (not run yet)`);
    }
  }
  return `export {};\ndeclare global {\n${lines.join('\n')}\n}\n`;
}

const tableOf = (handle: TableHandle, detail: string): SqlTable => ({ name: handle.name, columns: handle.columns, detail });

/** Tables SQL cells can read: the dataset's, every earlier result with a name, and ts cells' tables (run tables). */
export function sqlTables(cells: readonly NotebookCell[], outputs: Readonly<Record<string, CellOutput | null | undefined>>, dataset: readonly SqlTable[]): SqlTable[] {
  const out = new Map<string, SqlTable>();
  for (const t of dataset) out.set(t.name.toLowerCase(), t);
  for (const cell of cells) {
    const output = outputs[cell.id];
    if (cell.kind === 'sql' && cell.name) out.set(cell.name.toLowerCase(), output?.kind === 'sql' ? { ...tableOf(output.table, 'result of cell'), name: cell.name } : { name: cell.name, columns: [], detail: 'result of cell (not run yet)' });
    if (output?.kind === 'ts') for (const [name, handle] of Object.entries(output.tables)) out.set(name.toLowerCase(), { ...tableOf(handle, `table of ts cell ${cell.name ?? cell.id}`), name });
  }
  return [...out.values()];
}

export interface SqlSuggestion { label: string; kind: 'table' | 'column' | 'keyword'; detail: string }

const KEYWORDS = ['SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'HAVING', 'JOIN', 'LEFT JOIN', 'ON', 'AS', 'AND', 'OR', 'NOT', 'IN', 'LIMIT', 'WITH', 'UNION ALL', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'sum', 'count', 'avg', 'min', 'max', 'DISTINCT', 'FILTER'];

/** What to suggest at the cursor: after FROM/JOIN a table, after `t.` that table's columns, else columns of the tables named, tables and keywords. */
export function sqlSuggestions(textBefore: string, fullText: string, tables: readonly SqlTable[]): SqlSuggestion[] {
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const tableSuggestions = tables.map((t): SqlSuggestion => ({ label: t.name, kind: 'table', detail: t.detail }));
  const dotted = /([A-Za-z_][A-Za-z0-9_]*)\.\w*$/.exec(textBefore);
  if (dotted) {
    const alias = dotted[1]!.toLowerCase();
    const aliased = new RegExp(`\\b(?:FROM|JOIN)\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+(?:AS\\s+)?${alias}\\b`, 'i').exec(fullText)?.[1]?.toLowerCase();
    const table = byName.get(alias) ?? (aliased ? byName.get(aliased) : undefined);
    return table ? table.columns.map((c) => ({ label: c.name, kind: 'column', detail: `${table.name}.${c.name} ${c.type}` })) : [];
  }
  if (/\b(FROM|JOIN)\s+\w*$/i.test(textBefore)) return tableSuggestions;
  const named = [...fullText.matchAll(/\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)/gi)].map((m) => byName.get(m[1]!.toLowerCase())).filter((t): t is SqlTable => t !== undefined);
  const columns = new Map<string, SqlSuggestion>();
  for (const t of named.length ? named : tables) for (const c of t.columns) if (!columns.has(c.name)) columns.set(c.name, { label: c.name, kind: 'column', detail: `${t.name}.${c.name} ${c.type}` });
  return [...columns.values(), ...tableSuggestions, ...KEYWORDS.map((k): SqlSuggestion => ({ label: k, kind: 'keyword', detail: 'keyword' }))];
}
