/**
 * An `sql` cell (or an `alm.sql` call) run read-only in the workspace's locked-down DuckDB and
 * stored whole as Parquet. The user's statement is checked (DuckDB's parser: one SELECT), wrapped
 * as `WITH <earlier results> SELECT * FROM (<user SQL>)` and written by the SERVICE with
 * `COPY … TO` a temporary file in `notebook-results/`, renamed into place only when complete: a
 * failed, timed-out or cancelled cell leaves no file. Earlier results are CTEs over their Parquet
 * files, so each run sees exactly the inputs it was given — two notebooks of one workspace both
 * naming a cell `by_product` never see each other's table.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlParam } from '../data/duckdb.ts';
import type { PageRequest, PageResult, WorkspaceQueryService } from '../data/query/index.ts';
import { QueryError } from '../data/query/index.ts';
import { leadingKeyword, MAX_SQL_LENGTH } from '../data/query/read-only-sql.ts';
import { quoteIdent, sqlString } from '../data/sql-quote.ts';
import { referencesFromTree } from './sql-references.ts';
import { checkCacheKey, checkResultName, NotebookExecError, RESULTS_DIR, resultRef, storedFile, type StoredTableRef } from './stored-tables.ts';

export type NotebookQueries = Pick<WorkspaceQueryService, 'withDatasetConnection' | 'registerTable' | 'page'>;

export interface SqlScope {
  queries: NotebookQueries;
  workspaceDir: string;
  datasetId: string;
  signal?: AbortSignal | undefined;
  /** statement timer of the materialising query (default: the query service's) */
  timeoutMs?: number | undefined;
}

export interface MaterialiseRequest {
  sql: string;
  /** `$1`, `$2`, … values, always bound by DuckDB */
  params?: SqlParam[];
  /** earlier results by the name the SQL uses (`FROM by_product`, `FROM run1_eve`) */
  inputs?: Readonly<Record<string, StoredTableRef>>;
  /** the file's name: the cell's cache key (hex) */
  cacheKey: string;
}

export interface StoredTable extends StoredTableRef {
  rowCount: number;
  columns: { name: string; type: string }[];
}

const READ_KEYWORDS = new Set(['select', 'with', 'values', 'from', 'table', 'summarize']);

/** Runs the SQL and stores its whole result; an existing file of that key is the result already. */
export async function materialise(scope: SqlScope, request: MaterialiseRequest): Promise<StoredTable> {
  const ref = resultRef(checkCacheKey(request.cacheKey));
  const text = normalise(request.sql);
  const inputs = await inputFiles(scope.workspaceDir, request.inputs ?? {});
  const target = path.join(scope.workspaceDir, ref.file);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await sweepLeftovers(path.dirname(target));
  const existing = await fs.stat(target).catch(() => null);
  if (existing === null) {
    const temp = path.join(scope.workspaceDir, RESULTS_DIR, `.tmp-${request.cacheKey}-${randomBytes(6).toString('hex')}.parquet`);
    try {
      await withCancel(scope, (connection) => copyToParquet(connection, text, inputs, request.params ?? [], temp));
      if (scope.signal?.aborted) throw cancelled();
      await fs.rename(temp, target);
    } finally {
      await fs.rm(temp, { force: true });
    }
  }
  return describeStored(scope, ref);
}

/** Row count and columns of a stored table, read from its Parquet footer. */
export async function describeStored(scope: SqlScope, ref: StoredTableRef): Promise<StoredTable> {
  const file = await storedFile(scope.workspaceDir, ref);
  return withCancel(scope, async (connection) => {
    const source = `read_parquet(${sqlString(file)})`;
    const count = await connection.runAndReadAll(`SELECT count(*) FROM ${source}`);
    const shape = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    return {
      ...ref,
      rowCount: Number(count.getRowsJson()[0]?.[0] ?? 0),
      columns: shape.getRowsJson().map((r) => ({ name: String(r[0]), type: String(r[1]) })),
    };
  });
}

/** A page of a stored table through the query layer's paging, sorting, filtering and caches. */
export async function pageStored(scope: SqlScope, ref: StoredTableRef, request: Omit<PageRequest, 'table'>): Promise<PageResult> {
  const file = await storedFile(scope.workspaceDir, ref);
  await scope.queries.registerTable(scope.workspaceDir, ref.table, file);
  return scope.queries.page(scope.workspaceDir, scope.datasetId, { ...request, table: ref.table });
}

/** The first `limit` rows of a stored table (for `alm` table handles). */
export async function readRows(scope: SqlScope, ref: StoredTableRef, limit: number): Promise<Record<string, unknown>[]> {
  const page = await pageStored(scope, ref, { startRow: 0, endRow: limit });
  return page.rows;
}

const swept = new Set<string>();
/** Stale temporary files of a server that died mid-COPY (a cancel or failure removes its own at once). */
const LEFTOVER_AGE_MS = 60 * 60_000;

/** Once per folder and process: removes `.tmp-*` files older than an hour. */
async function sweepLeftovers(dir: string): Promise<void> {
  if (swept.has(dir)) return;
  swept.add(dir);
  const cutoff = Date.now() - LEFTOVER_AGE_MS;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith('.tmp-')) continue;
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat !== null && stat.mtimeMs < cutoff) await fs.rm(file, { force: true });
  }
}

function normalise(sql: string): string {
  if (typeof sql !== 'string') throw new NotebookExecError('invalid', 'the SQL must be text');
  const text = sql.trim().replace(/;\s*$/, '').trimEnd();
  if (text.length === 0) throw new NotebookExecError('invalid', 'the SQL cell is empty; write a SELECT statement');
  if (text.length > MAX_SQL_LENGTH) throw new NotebookExecError('invalid', `the SQL is longer than ${MAX_SQL_LENGTH} characters`);
  return text;
}

async function inputFiles(workspaceDir: string, inputs: Readonly<Record<string, StoredTableRef>>): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const [name, ref] of Object.entries(inputs)) out.push([checkResultName(name), await storedFile(workspaceDir, ref)]);
  return out;
}

/**
 * The checks, in the order a user learns most from: DuckDB's parser first (a typo is a syntax
 * error, 422, whatever its first word), then one read statement (anything else is 403), then the
 * wrapped statement must still be one SELECT. The lock-down stops file access behind all of them.
 */
async function copyToParquet(connection: DuckDBConnection, text: string, inputs: [string, string][], params: SqlParam[], temp: string): Promise<void> {
  const tree = await connection.runAndReadAll('SELECT json_serialize_sql(CAST(? AS VARCHAR))', [text]);
  const treeText = String(tree.getRowsJson()[0]?.[0] ?? '{}');
  const ast = JSON.parse(treeText) as { error?: boolean; error_type?: string; error_message?: string; position?: string | number; statements?: unknown[] };
  const keyword = leadingKeyword(text);
  if (ast.error === true && ast.error_type === 'parser') {
    const position = Number(ast.position);
    throw new NotebookExecError('syntax', `Syntax error: ${ast.error_message ?? 'the SQL does not parse'}`, Number.isFinite(position) ? position : undefined);
  }
  if (ast.error === true || !READ_KEYWORDS.has(keyword) || (ast.statements ?? []).length !== 1) {
    throw new NotebookExecError('forbidden', `an SQL cell only reads data: write one SELECT (or WITH … SELECT) statement${keyword && !READ_KEYWORDS.has(keyword) ? `, not ${keyword.toUpperCase()}` : ''}`);
  }
  // Only the earlier results the statement names become CTEs (DuckDB would ignore the others).
  const named = referencedNames(treeText);
  const ctes = inputs.filter(([name]) => named === null || named.has(name.toLowerCase())).map(([name, file]) => `${quoteIdent(name)} AS (SELECT * FROM read_parquet(${sqlString(file)}))`);
  // The newline before ')' ends a trailing line comment of the user's text.
  const inner = `${ctes.length > 0 ? `WITH ${ctes.join(', ')} ` : ''}SELECT * FROM (\n${text}\n) AS cell_query`;
  const extracted = await connection.extractStatements(inner);
  if (extracted.count !== 1) throw new NotebookExecError('forbidden', 'remove anything after the statement (a semicolon or a trailing comment)');
  const check = await connection.runAndReadAll('SELECT json_serialize_sql(CAST(? AS VARCHAR))', [inner]);
  const wrapped = JSON.parse(String(check.getRowsJson()[0]?.[0] ?? '{}')) as { error?: boolean; statements?: unknown[] };
  if (wrapped.error === true || (wrapped.statements ?? []).length !== 1) throw new NotebookExecError('forbidden', 'an SQL cell only reads data: write one SELECT statement');
  const copy = `COPY (${inner}\n) TO ${sqlString(temp)} (FORMAT parquet)`;
  if (params.length > 0) await connection.run(copy, params as never);
  else await connection.run(copy);
}

/** Lower-cased bare table names of a `json_serialize_sql` tree; null when it cannot be read. */
function referencedNames(treeText: string): Set<string> | null {
  const refs = referencesFromTree(treeText);
  return refs.ok ? new Set(refs.tables.map((t) => t.toLowerCase())) : null;
}

/**
 * The earlier results (of `names`) a statement reads, by DuckDB's parser: what `alm.sql` records as
 * the cell's reads and keys its stored result by. All of them when the SQL does not parse.
 */
export async function referencedInputs(scope: SqlScope, sql: string, names: readonly string[]): Promise<string[]> {
  const text = normalise(sql);
  const tree = await withCancel(scope, async (connection) => String((await connection.runAndReadAll('SELECT json_serialize_sql(CAST(? AS VARCHAR))', [text])).getRowsJson()[0]?.[0] ?? '{}'));
  const named = referencedNames(tree);
  return names.filter((name) => named === null || named.has(name.toLowerCase()));
}

/** Runs a task on the dataset's connection; an abort interrupts the statement and reads as `cancelled`. */
async function withCancel<T>(scope: SqlScope, task: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  if (scope.signal?.aborted) throw cancelled();
  let running: DuckDBConnection | null = null;
  const onAbort = () => running?.interrupt();
  scope.signal?.addEventListener('abort', onAbort);
  try {
    // The query layer turns what a task throws into its own errors: ours travel back as values.
    const outcome = await scope.queries.withDatasetConnection(scope.workspaceDir, scope.datasetId, async (connection): Promise<{ value: T } | { error: NotebookExecError }> => {
      running = connection;
      if (scope.signal?.aborted) return { error: cancelled() };
      try {
        return { value: await task(connection) };
      } catch (error) {
        if (error instanceof NotebookExecError) return { error };
        throw error;
      }
    }, scope.timeoutMs === undefined ? {} : { timeoutMs: scope.timeoutMs });
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  } catch (error) {
    if (scope.signal?.aborted) throw cancelled();
    if (error instanceof QueryError && error.code === 'bad_request') throw new NotebookExecError('invalid', error.message);
    throw error;
  } finally {
    running = null;
    scope.signal?.removeEventListener('abort', onAbort);
  }
}

function cancelled(): NotebookExecError {
  return new NotebookExecError('cancelled', 'the cell was cancelled; nothing was stored');
}
