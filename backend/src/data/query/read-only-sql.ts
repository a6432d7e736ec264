/**
 * Admits one read statement of user SQL and prepares it wrapped in a LIMIT. Three independent
 * checks, any of which refuses: the leading keyword, DuckDB's own parser (statement count and
 * `json_serialize_sql`, which serialises SELECT statements only) and the prepared statement's
 * type. Behind them the instance lock-down (workspace-instance.ts) still stops file access.
 */
import { DuckDBArrayType, DuckDBListType, DuckDBStructType, DuckDBTypeId, StatementType, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBType } from '@duckdb/node-api';
import { quoteIdent, sqlString } from '../sql-quote.ts';
import { QueryError, TOO_LARGE_MARKER } from './query-error.ts';

export const MAX_SQL_LENGTH = 100_000;
const READ_KEYWORDS = new Set(['select', 'with', 'values', 'from', 'table', 'describe', 'summarize', 'show']);

/**
 * `maxBytes` bounds the answer inside DuckDB: a running sum of each row's size stops the
 * statement with an error as soon as it passes the budget, before DuckDB copies the rows into a
 * result (a 100 MB constant in 50 rows would otherwise become 5 GB of native memory first).
 */
export async function prepareReadOnly(connection: DuckDBConnection, sql: string, maxRows: number, maxBytes?: number): Promise<DuckDBPreparedStatement> {
  const text = sql.trim().replace(/;\s*$/, '').trimEnd();
  if (text.length === 0) throw new QueryError('bad_request', 'The SQL is empty; write a SELECT statement.');
  // The driver passes SQL to DuckDB as a C string: a NUL would silently cut off the LIMIT below.
  if (text.includes('\0')) throw new QueryError('bad_request', 'The SQL contains a NUL character (\\0); remove it.');
  if (text.length > MAX_SQL_LENGTH) throw new QueryError('bad_request', `The SQL is longer than ${MAX_SQL_LENGTH} characters.`);
  const keyword = leadingKeyword(text);
  if (!READ_KEYWORDS.has(keyword)) {
    // A typo such as `selec 1` is a syntax error, not a refused statement: DuckDB's parser (which
    // only parses, never runs) says which, and its message names the spot.
    await extract(connection, text);
    throw new QueryError('forbidden_statement', `Only read statements (SELECT, WITH … SELECT, VALUES, FROM, DESCRIBE, SUMMARIZE, SHOW) are allowed here, not ${keyword ? keyword.toUpperCase() : 'this statement'}.`);
  }
  await requireSingleSelect(connection, text);
  // The newline before ')' ends a trailing line comment of the user's text.
  const limited = `SELECT * FROM (\n${text}\n) AS user_query LIMIT ${maxRows + 1}`;
  const prepared = await prepareWrapped(connection, limited);
  if (maxBytes === undefined) return prepared;
  return prepareWrapped(connection, withByteBudget(limited, prepared, maxBytes));
}

async function prepareWrapped(connection: DuckDBConnection, wrapped: string): Promise<DuckDBPreparedStatement> {
  const extracted = await extract(connection, wrapped);
  if (extracted.count !== 1) throw new QueryError('bad_request', 'Remove anything after the statement (a semicolon or a trailing comment) and try again.');
  const prepared = await extracted.prepare(0);
  if (prepared.statementType !== StatementType.SELECT) throw new QueryError('forbidden_statement', 'Only read statements are allowed here.');
  return prepared;
}

const FIXED_WIDTH = new Set<DuckDBTypeId>([
  DuckDBTypeId.BOOLEAN, DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL, DuckDBTypeId.DATE, DuckDBTypeId.TIME, DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_NS, DuckDBTypeId.TIMESTAMP_TZ, DuckDBTypeId.TIME_TZ,
  DuckDBTypeId.INTERVAL, DuckDBTypeId.UUID, DuckDBTypeId.ENUM,
]);

/**
 * One value's JSON size, roughly, computed without copying it: text by its bytes, blobs as
 * escapes, fixed-width values as 24, lists and structs from their elements (a cast to text would
 * copy a large list once more just to measure it).
 */
function sizeSql(value: string, type: DuckDBType, depth = 0): string {
  if (type.typeId === DuckDBTypeId.VARCHAR) return `coalesce(strlen(${value}), 0) + 4`;
  if (type.typeId === DuckDBTypeId.BLOB) return `coalesce(octet_length(${value}) * 4, 0) + 4`;
  if (FIXED_WIDTH.has(type.typeId)) return '24';
  if ((type instanceof DuckDBListType || type instanceof DuckDBArrayType) && depth < 4) {
    const x = `almready_x${depth}`;
    return `coalesce(list_sum(list_transform(${value}, lambda ${x}: ${sizeSql(x, type.valueType, depth + 1)})), 0) + 4`;
  }
  if (type instanceof DuckDBStructType && depth < 4) {
    const fields = type.entryNames.map((name, i) => `(${sizeSql(`struct_extract(${value}, ${sqlString(name)})`, type.entryTypes[i] as DuckDBType, depth + 1)}) + ${name.length + 4}`);
    return fields.length === 0 ? '4' : `${fields.join(' + ')} + 4`;
  }
  return `coalesce(strlen(CAST(${value} AS VARCHAR)), 0) + 4`;
}

/**
 * The limited statement with its columns renamed c0…cN (user names may repeat), a streaming
 * running sum of row sizes that raises TOO_LARGE_MARKER once past `maxBytes`, and the user's
 * names restored. The running sum over an unordered frame is computed as rows stream through.
 */
function withByteBudget(limited: string, shape: DuckDBPreparedStatement, maxBytes: number): string {
  const count = shape.columnCount;
  if (count === 0) return limited;
  const cols = Array.from({ length: count }, (_, i) => `c${i}`);
  const size = cols.map((c, i) => `(${sizeSql(c, shape.columnType(i))})`).join(' + ');
  const names = cols.map((c, i) => `${c} AS ${quoteIdent(shape.columnName(i))}`).join(', ');
  return `SELECT ${names} FROM (SELECT *, sum(${size}) OVER (ROWS UNBOUNDED PRECEDING) AS almready_bytes FROM (\n${limited}\n) AS limited(${cols.join(', ')})) AS sized
    WHERE CASE WHEN almready_bytes > ${Math.floor(maxBytes)} THEN error(${sqlString(TOO_LARGE_MARKER)}) ELSE true END`;
}

async function requireSingleSelect(connection: DuckDBConnection, text: string): Promise<void> {
  const extracted = await extract(connection, text);
  if (extracted.count !== 1) throw new QueryError('forbidden_statement', `Send exactly one statement (found ${extracted.count}).`);
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql(CAST(? AS VARCHAR)) AS ast', [text]);
  const ast = JSON.parse(String(reader.getRowsJson()[0]?.[0] ?? '{}')) as { error?: boolean; error_type?: string; error_message?: string; statements?: unknown[] };
  if (ast.error === true) {
    if (ast.error_type === 'parser') throw new QueryError('syntax_error', `Syntax error: ${ast.error_message ?? 'the SQL does not parse'}.`);
    throw new QueryError('forbidden_statement', 'Only read statements (SELECT and its forms) are allowed here.');
  }
  if ((ast.statements ?? []).length !== 1) throw new QueryError('forbidden_statement', 'Send exactly one statement.');
  const reached = catalogAccess(ast.statements);
  if (reached !== null) {
    throw new QueryError('forbidden_statement', `Queries may not read server settings, variables or the system catalog (${reached} is not allowed); use DESCRIBE <table> or SHOW TABLES to see tables and columns.`);
  }
}

/**
 * Functions and tables that show the server rather than the data: settings (temp_directory and
 * allowed_directories name the data folder, owner and workspace), variables, the catalog (view
 * definitions hold the Parquet paths) and SQL-from-text runners whose text no check here sees.
 */
const REFUSED_FUNCTIONS = new Set(['current_setting', 'getvariable', 'getenv', 'query', 'query_table', 'json_execute_serialized_sql', 'which_secret']);
const REFUSED_PREFIXES = ['duckdb_', 'pragma_', 'pg_', 'sqlite_'];
const REFUSED_SCHEMAS = new Set(['information_schema', 'pg_catalog']);
const REFUSED_CATALOGS = new Set(['system', 'temp']);

const refusedName = (name: string) => REFUSED_FUNCTIONS.has(name) || REFUSED_PREFIXES.some((p) => name.startsWith(p));

/** The first function or table of the parsed statement that reaches the server's own state, or null. */
export function catalogAccess(node: unknown): string | null {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = catalogAccess(item);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof node !== 'object' || node === null) return null;
  const n = node as Record<string, unknown>;
  const lower = (key: string) => (typeof n[key] === 'string' ? (n[key] as string).toLowerCase() : '');
  const fn = lower('function_name');
  if (fn !== '' && (refusedName(fn) || REFUSED_SCHEMAS.has(lower('schema')) || REFUSED_CATALOGS.has(lower('catalog')))) return `${fn}()`;
  const table = lower('table_name');
  const schema = lower('schema_name');
  const catalog = lower('catalog_name');
  if ((table !== '' && refusedName(table)) || REFUSED_SCHEMAS.has(schema) || REFUSED_CATALOGS.has(catalog)) {
    return [catalog, schema, table].filter(Boolean).join('.');
  }
  for (const value of Object.values(n)) {
    const found = catalogAccess(value);
    if (found !== null) return found;
  }
  return null;
}

async function extract(connection: DuckDBConnection, text: string) {
  try {
    return await connection.extractStatements(text);
  } catch (error) {
    // node-api prefixes DuckDB's parser message; keep the reason, drop the prefix.
    const message = (error instanceof Error ? error.message : String(error)).replace(/^Failed to extract statements: /, '');
    throw new QueryError('syntax_error', (message.split(/\n\s*\n/)[0] ?? message).trim());
  }
}

/** First keyword, skipping blanks, comments and opening parentheses. */
export function leadingKeyword(sql: string): string {
  let rest = sql;
  for (;;) {
    const next = rest.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/|\()/, '');
    if (next === rest) break;
    rest = next;
  }
  return (/^[A-Za-z_]+/.exec(rest)?.[0] ?? '').toLowerCase();
}
