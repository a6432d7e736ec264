/**
 * Admits one read statement of user SQL and prepares it wrapped in a LIMIT. Three independent
 * checks, any of which refuses: the leading keyword, DuckDB's own parser (statement count and
 * `json_serialize_sql`, which serialises SELECT statements only) and the prepared statement's
 * type. Behind them the instance lock-down (workspace-instance.ts) still stops file access.
 */
import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { QueryError } from './query-error.ts';

export const MAX_SQL_LENGTH = 100_000;
const READ_KEYWORDS = new Set(['select', 'with', 'values', 'from', 'table', 'describe', 'summarize', 'show']);

export async function prepareReadOnly(connection: DuckDBConnection, sql: string, maxRows: number): Promise<DuckDBPreparedStatement> {
  const text = sql.trim().replace(/;\s*$/, '').trimEnd();
  if (text.length === 0) throw new QueryError('bad_request', 'The SQL is empty; write a SELECT statement.');
  if (text.length > MAX_SQL_LENGTH) throw new QueryError('bad_request', `The SQL is longer than ${MAX_SQL_LENGTH} characters.`);
  const keyword = leadingKeyword(text);
  if (!READ_KEYWORDS.has(keyword)) {
    throw new QueryError('forbidden_statement', `Only read statements (SELECT, WITH … SELECT, VALUES, FROM, DESCRIBE, SUMMARIZE, SHOW) are allowed here, not ${keyword ? keyword.toUpperCase() : 'this statement'}.`);
  }
  await requireSingleSelect(connection, text);
  // The newline before ')' ends a trailing line comment of the user's text.
  const wrapped = `SELECT * FROM (\n${text}\n) AS user_query LIMIT ${maxRows + 1}`;
  const extracted = await extract(connection, wrapped);
  if (extracted.count !== 1) throw new QueryError('bad_request', 'Remove anything after the statement (a semicolon or a trailing comment) and try again.');
  const prepared = await extracted.prepare(0);
  if (prepared.statementType !== StatementType.SELECT) throw new QueryError('forbidden_statement', 'Only read statements are allowed here.');
  return prepared;
}

async function requireSingleSelect(connection: DuckDBConnection, text: string): Promise<void> {
  const extracted = await extract(connection, text);
  if (extracted.count !== 1) throw new QueryError('forbidden_statement', `Send exactly one statement (found ${extracted.count}).`);
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql(CAST(? AS VARCHAR)) AS ast', [text]);
  const ast = JSON.parse(String(reader.getRowsJson()[0]?.[0] ?? '{}')) as { error?: boolean; error_type?: string; error_message?: string; statements?: unknown[] };
  if (ast.error === true) {
    if (ast.error_type === 'parser') throw new QueryError('bad_request', `Syntax error: ${ast.error_message ?? 'the SQL does not parse'}.`);
    throw new QueryError('forbidden_statement', 'Only read statements (SELECT and its forms) are allowed here.');
  }
  if ((ast.statements ?? []).length !== 1) throw new QueryError('forbidden_statement', 'Send exactly one statement.');
}

async function extract(connection: DuckDBConnection, text: string) {
  try {
    return await connection.extractStatements(text);
  } catch (error) {
    // node-api prefixes DuckDB's parser message; keep the reason, drop the prefix.
    const message = (error instanceof Error ? error.message : String(error)).replace(/^Failed to extract statements: /, '');
    throw new QueryError('bad_request', (message.split(/\n\s*\n/)[0] ?? message).trim());
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
