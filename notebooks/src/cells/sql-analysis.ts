/**
 * An `sql` cell reads the tables its statement names. Which those are is DuckDB's own parser's
 * answer, reached through a port the backend implements with `json_serialize_sql`
 * (`backend/src/notebook-exec/sql-references.ts`), so a CTE, an alias or a quoted name is read
 * exactly as DuckDB will read it when the cell runs.
 */
import { DATASET_TABLES, type CellAnalysis, type CellProblem } from './analysis.ts';

export type SqlReferences =
  | { ok: true; tables: string[]; statements: number }
  /** `offset` is the 0-based character offset DuckDB reports for a syntax error. */
  | { ok: false; message: string; offset?: number };

export interface SqlReferencePort {
  tableReferences(sql: string): Promise<SqlReferences>;
}

const DATASET = new Set<string>(DATASET_TABLES);

export async function analyseSql(source: string, cellName: string | undefined, port: SqlReferencePort): Promise<CellAnalysis> {
  const problems: CellProblem[] = [];
  const defines: string[] = [];
  if (cellName !== undefined) {
    if (DATASET.has(cellName.toLowerCase())) problems.push({ message: `"${cellName}" is the dataset's own table; name this result otherwise` });
    else defines.push(cellName);
  }
  if (source.trim() === '') return { defines, uses: [], caseInsensitiveUses: true, problems: [...problems, { message: 'the cell is empty: write a SELECT statement' }] };
  const refs = await port.tableReferences(source);
  if (!refs.ok) return { defines, uses: [], caseInsensitiveUses: true, problems: [...problems, { message: refs.message, ...position(source, refs.offset) }] };
  if (refs.statements > 1) problems.push({ message: `an SQL cell holds one statement; this one holds ${refs.statements}` });
  const uses = [...new Set(refs.tables.filter((t) => !DATASET.has(t.toLowerCase())))].sort();
  return { defines, uses, caseInsensitiveUses: true, problems };
}

function position(source: string, offset: number | undefined): { line?: number; column?: number } {
  if (offset === undefined || offset < 0 || offset > source.length) return {};
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
