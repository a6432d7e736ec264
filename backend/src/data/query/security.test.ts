/**
 * Attacks through the public API. Each must fail with a clear, typed error, leak no other
 * workspace's paths and leave nothing behind; the instance stays usable afterwards.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePositions, makeDataRoot, writeFixtureDataset } from './test-fixtures.ts';
import { WorkspaceInstance } from './workspace-instance.ts';
import { WorkspaceQueryService } from './workspace-query-service.ts';

let dataDir: string;
let ws: string;
let otherWs: string;
let otherFile: string;
const outside = path.join(os.tmpdir(), `almready-attack-${process.pid}`);
const service = new WorkspaceQueryService({ memoryLimit: '100MB', threads: 2, statementTimeoutMs: 1000 });

async function listTree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true });
  return entries.filter((e) => !e.includes('.duckdb-tmp')).sort();
}

beforeAll(async () => {
  dataDir = await makeDataRoot();
  ws = await writeFixtureDataset(dataDir, 'owner1', 'ws1', 'd1', fixturePositions(200));
  otherWs = await writeFixtureDataset(dataDir, 'owner2', 'ws2', 'secret', fixturePositions(7));
  otherFile = path.join(otherWs, 'datasets', 'secret', 'positions.parquet');
  // Planted links: a file and a whole dataset folder inside ws1 pointing into ws2.
  await fs.symlink(otherFile, path.join(ws, 'datasets', 'd1', 'evil.parquet'));
  await fs.symlink(path.join(otherWs, 'datasets', 'secret'), path.join(ws, 'datasets', 'linked'));
});
afterAll(async () => {
  await service.closeAll();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function refused(sql: string, code = 'forbidden_statement', via = service) {
  const before = await listTree(dataDir);
  const error = await via.runSql(ws, 'd1', sql).then(() => null, (e: unknown) => e);
  expect(error, sql).toMatchObject({ name: 'QueryError', code });
  const message = (error as Error).message;
  expect(message).not.toContain(otherWs);
  expect(message).not.toContain(dataDir);
  expect(message.length).toBeGreaterThan(20);
  expect(await listTree(dataDir)).toEqual(before);
  await expect(fs.stat(`${outside}.csv`)).rejects.toThrow();
  await expect(fs.stat(`${outside}.db`)).rejects.toThrow();
  return message;
}

async function stillServing() {
  expect((await service.runSql(ws, 'd1', 'select count(*) as n from positions')).rows).toEqual([{ n: 200 }]);
}

describe('file access', () => {
  it('cannot read system files or list directories', async () => {
    expect(await refused("SELECT * FROM read_csv('/etc/passwd')")).toContain('reading or writing files');
    await refused("select * from read_text('/etc/hostname')");
    await refused("select * from glob('/*')");
    await stillServing();
  });

  it("cannot read another workspace's Parquet by absolute, ../, symlinked or globbed path", async () => {
    await refused(`select * from read_parquet('${otherFile}')`);
    await refused(`select * from read_parquet('${ws}/../../owner2/ws2/datasets/secret/positions.parquet')`);
    await refused(`select * from '${ws}/datasets/d1/../../../../owner2/ws2/datasets/secret/positions.parquet'`);
    await refused(`select * from read_parquet('${ws}/datasets/d1/evil.parquet')`);
    await refused(`select * from read_parquet('${ws}/datasets/linked/positions.parquet')`);
    await refused(`select * from read_parquet('${dataDir}/workspaces/*/*/datasets/*/positions.parquet')`);
    await refused(`select count(*) from read_parquet('${ws}/datasets/**/*.parquet')`);
    await stillServing();
  });

  it("still reads the workspace's own dataset files by path", async () => {
    const own = await service.runSql(ws, 'd1', `select count(*) as n from read_parquet('${ws}/datasets/d1/positions.parquet')`);
    expect(own.rows).toEqual([{ n: 200 }]);
  });

  it('refuses a dataset whose folder is a link out of the workspace', async () => {
    await expect(service.page(ws, 'linked', { table: 'positions', startRow: 0, endRow: 10 })).rejects.toMatchObject({ code: 'forbidden_statement', message: 'positions.parquet points outside this workspace; re-import the dataset.' });
  });
});

describe('statements other than reads', () => {
  it.each([
    [`COPY positions TO '${outside}.csv'`],
    [`COPY positions TO '${'WS'}/datasets/d1/copy.csv'`],
    [`COPY (select 1) TO '${outside}.csv'`],
    [`ATTACH '${outside}.db'`],
    ['DETACH memory'],
    ['INSTALL httpfs'],
    ['LOAD httpfs'],
    ['SET enable_external_access = true'],
    ['RESET lock_configuration'],
    ['SET lock_configuration = false'],
    ["CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')"],
    ['PRAGMA version'],
    ['PRAGMA enable_profiling'],
    ['CALL pragma_version()'],
    ['CHECKPOINT'],
    [`EXPORT DATABASE '${outside}'`],
    ['CREATE TABLE t AS SELECT 1'],
    ['DROP VIEW positions'],
    ['ALTER VIEW positions RENAME TO p2'],
    ["INSERT INTO positions (position_id) VALUES ('x')"],
    ["UPDATE positions SET notional = 0"],
    ['DELETE FROM positions'],
    ['EXPLAIN ANALYZE SELECT 1'],
    ['select 1; drop view positions'],
    ['/* select */ drop view positions'],
    ['(select 1); drop view positions'],
    ['WITH a AS (SELECT 1) DELETE FROM positions'],
    ['WITH a AS (SELECT 1) INSERT INTO positions (position_id) SELECT 1 FROM a'],
    ["SET search_path = 'main'"],
    ['USE main'],
    ["RESET search_path"],
    ['CREATE OR REPLACE VIEW positions AS SELECT 1'],
  ])('%s', async (sql) => {
    await refused(sql.replace('WS', ws));
    await stillServing();
  });

  it('query() is refused outright: it runs SQL text that no check sees', async () => {
    expect(await refused(`SELECT * FROM query('COPY positions TO ''${outside}.csv''')`)).toContain('query() is not allowed');
  });

  it('keeps the lock-down settings in force', async () => {
    // Read on the instance's own connection: user SQL may no longer read settings (they name server paths).
    await refused("select name, value from duckdb_settings() where name = 'lock_configuration'");
    const instance = await WorkspaceInstance.open(ws, { memoryLimit: '100MB', statementTimeoutMs: 1000 }, new Map());
    let rows: unknown[];
    try {
      const reader = await instance.connection.runAndReadAll("select name, value from duckdb_settings() where name in ('enable_external_access', 'lock_configuration', 'autoload_known_extensions', 'autoinstall_known_extensions', 'memory_limit') order by name");
      rows = reader.getRowObjectsJson();
    } finally {
      await instance.close();
    }
    expect(rows).toEqual([
      { name: 'autoinstall_known_extensions', value: 'false' },
      { name: 'autoload_known_extensions', value: 'false' },
      { name: 'enable_external_access', value: 'false' },
      { name: 'lock_configuration', value: 'true' },
      { name: 'memory_limit', value: expect.stringMatching(/^9\d\.\d MiB$/) },
    ]);
  });

  it('gives DuckDB a spill budget instead of 90% of the disk', async () => {
    for (const [limit, shown] of [[undefined, /^1\.8 GiB$|^2\.0 GiB$|^1\.9 GiB$/], ['300MB', /^286\.1 MiB$/]] as const) {
      const instance = await WorkspaceInstance.open(ws, { memoryLimit: '100MB', statementTimeoutMs: 1000, ...(limit ? { tempDirectoryLimit: limit } : {}) }, new Map());
      try {
        const reader = await instance.connection.runAndReadAll("select value from duckdb_settings() where name = 'max_temp_directory_size'");
        expect(String(reader.getRowsJson()[0]?.[0])).toMatch(shown);
      } finally {
        await instance.close();
      }
    }
    await expect(WorkspaceInstance.open(ws, { memoryLimit: '100MB', statementTimeoutMs: 1000, tempDirectoryLimit: "1GB'; SET x = 1; --" }, new Map())).rejects.toThrow(/tempDirectoryLimit .* is not like '1GB'/);
  });

  it('the lock-down alone stops file access even if classification were bypassed', async () => {
    const instance = await WorkspaceInstance.open(ws, { memoryLimit: '100MB', statementTimeoutMs: 1000 }, new Map());
    try {
      await expect(instance.connection.run(`COPY (select 1) TO '${outside}.csv'`)).rejects.toThrow(/Permission Error/);
      await expect(instance.connection.run(`select * from read_parquet('${otherFile}')`)).rejects.toThrow(/Permission Error/);
      await expect(instance.connection.run(`ATTACH '${outside}.db'`)).rejects.toThrow(/Permission Error/);
      await expect(instance.connection.run('LOAD httpfs')).rejects.toThrow(/Permission Error/);
      await expect(instance.connection.run('SET enable_external_access = true')).rejects.toThrow(/configuration has been locked/);
      await expect(instance.connection.run("SET allowed_directories = ['/']")).rejects.toThrow(/locked/);
      await expect(fs.stat(`${outside}.csv`)).rejects.toThrow();
    } finally {
      await instance.close();
    }
  });

  it('connections opened after the lock-down are locked down too', async () => {
    const instance = await WorkspaceInstance.open(ws, { memoryLimit: '100MB', statementTimeoutMs: 5000, connections: 2 }, new Map());
    try {
      let release = () => {};
      const held = instance.exec(() => new Promise<void>((resolve) => { release = resolve; }));
      const second = await instance.exec(async (lease) => {
        expect(lease.connection).not.toBe(instance.connection);
        const copy = await lease.connection.run(`COPY (select 1) TO '${outside}.csv'`).then(() => 'ran', (e: unknown) => String(e));
        const read = await lease.connection.run(`select * from read_parquet('${otherFile}')`).then(() => 'ran', (e: unknown) => String(e));
        const set = await lease.connection.run('SET enable_external_access = true').then(() => 'ran', (e: unknown) => String(e));
        return [copy, read, set];
      });
      release();
      await held;
      expect(second[0]).toMatch(/Permission Error/);
      expect(second[1]).toMatch(/Permission Error/);
      expect(second[2]).toMatch(/configuration has been locked/);
      await expect(fs.stat(`${outside}.csv`)).rejects.toThrow();
    } finally {
      await instance.close();
    }
  });
});

describe('injection through the grid request', () => {
  it('treats a filter value as data', async () => {
    const result = await service.page(ws, 'd1', { table: 'positions', startRow: 0, endRow: 10, filterModel: { product: { filterType: 'text', type: 'equals', filter: "x'); DROP VIEW positions; --" } } });
    expect(result.rowCount).toBe(0);
    const set = await service.page(ws, 'd1', { table: 'positions', startRow: 0, endRow: 10, filterModel: { currency: { filterType: 'set', values: ["EUR') OR 1=1 --"] } } });
    expect(set.rowCount).toBe(0);
    await stillServing();
  });

  it('rejects a column id that is not a real column', async () => {
    const bad = 'notional"; --';
    const base = { table: 'positions', startRow: 0, endRow: 10 };
    await expect(service.page(ws, 'd1', { ...base, filterModel: { [bad]: { filterType: 'number', type: 'equals', filter: 1 } } })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('unknown column "notional"; --"') });
    await expect(service.page(ws, 'd1', { ...base, sortModel: [{ colId: bad, sort: 'asc' }] })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(service.page(ws, 'd1', { ...base, groupBy: [bad] })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(service.page(ws, 'd1', { ...base, table: 'positions"; drop view positions; --' })).rejects.toMatchObject({ code: 'bad_request' });
    await stillServing();
  });
});

describe('resource limits', () => {
  it('interrupts a runaway query at the statement timeout', async () => {
    const started = Date.now();
    await refused('select count(*) from range(10000000000) a, range(1000) b', 'timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    await stillServing();
  });

  it('stops a memory-hungry query at the memory limit and keeps serving', async () => {
    // Its own service: on a busy machine these may take longer than the 1 s timeout above to hit the limit.
    const roomy = new WorkspaceQueryService({ memoryLimit: '100MB', threads: 2, statementTimeoutMs: 60_000 });
    try {
      expect(await refused('select list(range) from range(500000000)', 'memory_limit', roomy)).toContain('100MB');
      await refused("select length(string_agg(md5(range::varchar), ',')) from range(50000000)", 'memory_limit', roomy);
      expect((await roomy.runSql(ws, 'd1', 'select count(*) as n from positions')).rows).toEqual([{ n: 200 }]);
    } finally {
      await roomy.closeAll();
    }
  });
});
