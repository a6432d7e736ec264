/**
 * SQL cells on the real locked-down DuckDB: results stored as Parquet in the workspace, chained by
 * name, paged through the query layer; writes, ATTACH, COPY, file functions and other workspaces'
 * results refused; a cancelled cell leaves no file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceQueryService } from '../data/query/index.ts';
import { fixturePositions, makeDataRoot, writeFixtureDataset } from '../data/query/test-fixtures.ts';
import { materialise, pageStored, type SqlScope } from './cell-sql.ts';
import { NotebookExecError, resultRef } from './stored-tables.ts';

const key = (n: number) => n.toString(16).padEnd(64, 'a');
const positions = fixturePositions(400);
let queries: WorkspaceQueryService;
let scope: SqlScope;
let other: SqlScope;

async function files(dir: string): Promise<string[]> {
  return (await fs.readdir(path.join(dir, 'notebook-results')).catch(() => [] as string[])).sort();
}

async function refusal(run: Promise<unknown>): Promise<{ status: number; kind?: string; code: string; message: string }> {
  const error = await run.then(() => null, (e: unknown) => e as { status: number; kind?: string; code: string; message: string });
  if (error === null) throw new Error('expected a refusal');
  return error;
}

beforeAll(async () => {
  const root = await makeDataRoot();
  queries = new WorkspaceQueryService({ pageCacheCells: 0 });
  scope = { queries, workspaceDir: await writeFixtureDataset(root, 'u1', 'ws-a', 'ds1', positions), datasetId: 'ds1' };
  other = { queries, workspaceDir: await writeFixtureDataset(root, 'u2', 'ws-b', 'ds2', positions.slice(0, 10)), datasetId: 'ds2' };
});

afterAll(async () => {
  await queries.closeAll();
});

describe('SQL cells', () => {
  it('store the whole result as Parquet under the cache key and answer its shape', async () => {
    const a = await materialise(scope, { sql: 'SELECT product, sum(notional) AS total, count(*) AS n FROM positions GROUP BY product ORDER BY product;', cacheKey: key(1) });
    expect(a).toMatchObject({ ...resultRef(key(1)), rowCount: 4 });
    expect(a.columns).toEqual([{ name: 'product', type: 'VARCHAR' }, { name: 'total', type: 'DOUBLE' }, { name: 'n', type: 'BIGINT' }]);
    expect(await files(scope.workspaceDir)).toEqual([`${key(1)}.parquet`]);
    const page = await pageStored(scope, a, { startRow: 0, endRow: 10, sortModel: [{ colId: 'total', sort: 'desc' }] });
    const expected = new Map<string, number>();
    for (const p of positions) expected.set(p.product, (expected.get(p.product) ?? 0) + p.notional);
    expect(page.rowCount).toBe(4);
    expect(page.rows.map((r) => [r.product, r.total])).toEqual([...expected].sort((x, y) => y[1] - x[1]));
  });

  it('chain: a later cell reads an earlier result by its name, and another run of the same key reuses the file', async () => {
    const a = await materialise(scope, { sql: 'SELECT currency, notional FROM positions WHERE side = $1', params: ['asset'], cacheKey: key(2) });
    const b = await materialise(scope, { sql: 'SELECT currency, sum(notional) AS total FROM assets GROUP BY ALL ORDER BY currency', inputs: { assets: a }, cacheKey: key(3) });
    const page = await pageStored(scope, b, { startRow: 0, endRow: 100 });
    const sums = new Map<string, number>();
    for (const p of positions.filter((x) => x.side === 'asset')) sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.notional);
    expect(page.rows).toEqual([...sums].sort().map(([currency, total]) => ({ currency, total })));
    const stat = await fs.stat(path.join(scope.workspaceDir, b.file));
    await materialise(scope, { sql: 'SELECT 1 AS changed', inputs: { assets: a }, cacheKey: key(3) });
    expect((await fs.stat(path.join(scope.workspaceDir, b.file))).mtimeMs).toBe(stat.mtimeMs);
  });

  it('a million-row result is stored, not sent: pages sort and filter on the server', async () => {
    const started = Date.now();
    const big = await materialise(scope, { sql: 'SELECT range AS i, range % 7 AS k, printf(\'row %d\', range) AS label FROM range(1000000)', cacheKey: key(4) });
    const materialiseMs = Date.now() - started;
    expect(big.rowCount).toBe(1_000_000);
    const sorted = await pageStored(scope, big, { startRow: 0, endRow: 100, sortModel: [{ colId: 'i', sort: 'desc' }] });
    expect(sorted.rows).toHaveLength(100);
    expect(sorted.rows[0]).toEqual({ i: 999_999, k: 999_999 % 7, label: 'row 999999' });
    const filtered = await pageStored(scope, big, { startRow: 200, endRow: 300, filterModel: { k: { filterType: 'number', type: 'equals', filter: 3 } } });
    expect(filtered.rowCount).toBe(142_857);
    expect(filtered.rows.every((r) => r.k === 3)).toBe(true);
    const again = Date.now();
    expect((await materialise(scope, { sql: 'SELECT 1', cacheKey: key(4) })).rowCount).toBe(1_000_000);
    const reuseMs = Date.now() - again;
    console.log(`1M-row SQL cell stored in ${materialiseMs} ms; found stored again in ${reuseMs} ms`);
  }, 60_000);

  it('refuses writes, ATTACH, COPY and file functions outside, and stores nothing', async () => {
    const before = await files(scope.workspaceDir);
    const outside = path.join(other.workspaceDir, 'datasets', 'ds2', 'positions.parquet');
    for (const sql of [
      'CREATE TABLE t AS SELECT 1',
      'INSERT INTO positions SELECT * FROM positions',
      `ATTACH '${path.join(scope.workspaceDir, 'x.db')}' AS x`,
      `COPY (SELECT 1) TO '${path.join(scope.workspaceDir, 'notebook-results', 'evil.parquet')}'`,
      'SET enable_external_access = true',
      'SELECT 1; DROP VIEW positions',
    ]) {
      const e = await refusal(materialise(scope, { sql, cacheKey: key(5) }));
      expect([e.status, e.kind, e.message]).toEqual([403, 'forbidden', expect.stringContaining('only reads data')]);
    }
    for (const sql of [`SELECT * FROM read_parquet('${outside}')`, "SELECT * FROM read_csv('/etc/passwd')", `SELECT * FROM read_text('${path.join(scope.workspaceDir, '..', 'ws-b', 'datasets', 'ds2', 'manifest.json')}')`]) {
      const e = await refusal(materialise(scope, { sql, cacheKey: key(5) }));
      expect(e.status).toBe(403);
      expect(e.message).not.toContain(path.sep + 'workspaces');
    }
    expect(await files(scope.workspaceDir)).toEqual(before);
  });

  it('a typo is a syntax error (422) with DuckDB\'s message, not a forbidden statement', async () => {
    for (const sql of ['SELEC * FROM positions', 'SELECT * FROM positions WHERE']) {
      const e = await refusal(materialise(scope, { sql, cacheKey: key(6) }));
      expect([e.status, e.kind]).toEqual([422, 'syntax']);
      expect(e.message).toMatch(/^Syntax error: syntax error at/);
    }
    const unknown = await refusal(materialise(scope, { sql: 'SELECT * FROM no_such_cell', cacheKey: key(6) }));
    expect(unknown.status).toBe(422);
    expect(unknown.message).toContain('no_such_cell');
    expect(unknown.message).not.toContain(scope.workspaceDir);
    const input = await materialise(scope, { sql: 'SELECT 1 AS one', cacheKey: key(12) });
    const badColumn = await refusal(materialise(scope, { sql: 'SELECT nope FROM earlier', inputs: { earlier: input }, cacheKey: key(6) }));
    expect([badColumn.status, badColumn.kind]).toEqual([422, 'invalid']);
    expect(badColumn.message).toContain('nope');
    expect(badColumn.message).not.toMatch(/notebook-results|\/tmp\//);
  });

  it('another workspace\'s results are unreachable by table name, by reference or by path', async () => {
    const theirs = await materialise(other, { sql: 'SELECT position_id FROM positions', cacheKey: key(7) });
    expect(theirs.rowCount).toBe(10);
    const byName = await refusal(materialise(scope, { sql: `SELECT * FROM ${theirs.table}`, cacheKey: key(8) }));
    expect(byName.status).toBe(422);
    expect(byName.message).toContain('does not exist');
    const byRef = await refusal(materialise(scope, { sql: 'SELECT * FROM t', inputs: { t: theirs }, cacheKey: key(8) }));
    expect([byRef.status, byRef.kind]).toEqual([404, 'not_found']);
    const traversal = { table: theirs.table, file: `../ws-b/${theirs.file}` };
    expect((await refusal(materialise(scope, { sql: 'SELECT * FROM t', inputs: { t: traversal }, cacheKey: key(8) }))).status).toBe(404);
    expect((await refusal(pageStored(scope, traversal, { startRow: 0, endRow: 10 }))).status).toBe(404);
    expect((await refusal(pageStored(scope, { table: theirs.table, file: path.join(other.workspaceDir, theirs.file) }, { startRow: 0, endRow: 10 }))).status).toBe(404);
    const byPath = await refusal(materialise(scope, { sql: `SELECT * FROM read_parquet('${path.join(other.workspaceDir, theirs.file)}')`, cacheKey: key(8) }));
    expect(byPath.status).toBe(403);
    await fs.symlink(path.join(other.workspaceDir, theirs.file), path.join(scope.workspaceDir, 'notebook-results', `${key(9)}.parquet`));
    expect((await refusal(materialise(scope, { sql: 'SELECT * FROM t', inputs: { t: resultRef(key(9)) }, cacheKey: key(8) }))).status).toBe(404);
    await fs.rm(path.join(scope.workspaceDir, 'notebook-results', `${key(9)}.parquet`));
    expect(await files(scope.workspaceDir)).not.toContain(`${key(8)}.parquet`);
  });

  it('removes temporary files a crashed server left behind more than an hour ago, once per folder', async () => {
    const root = await makeDataRoot();
    const dir = await writeFixtureDataset(root, 'u3', 'ws-c', 'ds3', positions.slice(0, 5));
    const results = path.join(dir, 'notebook-results');
    await fs.mkdir(results, { recursive: true });
    const stale = path.join(results, `.tmp-${key(20)}-dead.parquet`);
    const fresh = path.join(results, `.tmp-${key(21)}-live.parquet`);
    await fs.writeFile(stale, 'partial');
    await fs.writeFile(fresh, 'partial');
    const hoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await fs.utimes(stale, hoursAgo, hoursAgo);
    await materialise({ queries, workspaceDir: dir, datasetId: 'ds3' }, { sql: 'SELECT 1 AS x', cacheKey: key(22) });
    expect(await files(dir)).toEqual([`.tmp-${key(21)}-live.parquet`, `${key(22)}.parquet`].sort());
  });

  it('a cancelled query is interrupted and leaves no file, not even a temporary one', async () => {
    const before = await files(scope.workspaceDir);
    const controller = new AbortController();
    const started = Date.now();
    const run = materialise({ ...scope, signal: controller.signal }, { sql: 'SELECT a.range AS x, b.range AS y, md5(a.range::VARCHAR || b.range::VARCHAR) AS h FROM range(20000) a, range(20000) b', cacheKey: key(10) });
    setTimeout(() => controller.abort(), 400);
    const e = await refusal(run);
    expect(e).toBeInstanceOf(NotebookExecError);
    expect([e.kind, e.message]).toEqual(['cancelled', 'the cell was cancelled; nothing was stored']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await files(scope.workspaceDir)).toEqual(before);
    // the workspace instance still answers
    expect((await materialise(scope, { sql: 'SELECT 42 AS answer', cacheKey: key(11) })).rowCount).toBe(1);
  }, 30_000);
});
