/**
 * The table references of an `sql` cell, as DuckDB's own parser reads them: `json_serialize_sql`
 * turns the statement into its parse tree (nothing is bound or run), and every `BASE_TABLE` in it
 * that is not a CTE in scope at that point is a reference. The SQL is passed as a bound parameter.
 */
import type { SqlReferencePort, SqlReferences } from '@almready/notebooks';
import type { DuckDb } from '../data/duckdb.ts';

export function sqlReferencePort(db: DuckDb): SqlReferencePort {
  return {
    async tableReferences(sql) {
      const rows = await db.all('SELECT json_serialize_sql($1::VARCHAR) AS tree', [sql]);
      return referencesFromTree(String(rows[0]?.tree ?? ''));
    },
  };
}

/** Reads the JSON `json_serialize_sql` returns. */
export function referencesFromTree(json: string): SqlReferences {
  const tree: unknown = JSON.parse(json);
  if (!isRecord(tree)) return { ok: false, message: 'DuckDB returned no parse tree' };
  if (tree.error === true) {
    const message = String(tree.error_message ?? 'the statement cannot be read');
    if (tree.error_type === 'not implemented') return { ok: false, message: 'an SQL cell only reads data: write one SELECT (or WITH … SELECT) statement' };
    const offset = Number(tree.position);
    return Number.isFinite(offset) ? { ok: false, message, offset } : { ok: false, message };
  }
  const statements = Array.isArray(tree.statements) ? tree.statements : [];
  const tables = new Set<string>();
  for (const statement of statements) collect(statement, [], tables);
  return { ok: true, tables: [...tables], statements: statements.length };
}

/** `ctes` holds, innermost last, the lower-cased CTE names in scope (DuckDB names are case-insensitive). */
function collect(node: unknown, ctes: ReadonlySet<string>[], out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, ctes, out);
    return;
  }
  if (!isRecord(node)) return;
  let scope = ctes;
  const map = isRecord(node.cte_map) && Array.isArray(node.cte_map.map) ? node.cte_map.map : [];
  if (map.length > 0) scope = [...ctes, new Set(map.flatMap((entry) => (isRecord(entry) && typeof entry.key === 'string' ? [entry.key.toLowerCase()] : [])))];
  const name = node.table_name;
  if (node.type === 'BASE_TABLE' && typeof name === 'string') {
    const schema = typeof node.schema_name === 'string' ? node.schema_name : '';
    const catalog = typeof node.catalog_name === 'string' ? node.catalog_name : '';
    const bare = schema === '' && catalog === '';
    if (!(bare && scope.some((s) => s.has(name.toLowerCase())))) {
      out.add(bare || (catalog === '' && schema.toLowerCase() === 'main') ? name : [catalog, schema, name].filter((p) => p !== '').join('.'));
    }
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'type') collect(value, scope, out);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
