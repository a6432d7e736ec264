/**
 * Breach 10 of the attack run: read-only SQL showed the data folder, the owner's id and the
 * workspace id through settings (`temp_directory`, `allowed_directories`), variables and the
 * catalog (view definitions hold the Parquet paths). Tried here against the real server in every
 * spelling we could think of: each answer — refusal or rows — must carry no file-system path and
 * no owner or workspace id, and the server keeps answering.
 */
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { member, shareWorkspace, uploadDataset, type Member } from '../../workspaces/test-fixtures.ts';
import { hideAnyPath, toQueryError } from './query-error.ts';

let t: TestServer;
let owner: Member;
let guest: Member;
let wid: string;
let did: string;
let secrets: string[];

beforeAll(async () => {
  t = await startTestServer();
  [owner, guest] = await Promise.all([member(t, 'olga'), member(t, 'gus')]);
  wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Paths' } })).body.workspace.id;
  await shareWorkspace(t, owner, wid, [[guest, 'explore']]);
  did = await uploadDataset(t, owner.token, wid, 20);
  secrets = [t.dataDir, realpathSync(t.dataDir), tmpdir(), owner.id, wid, '/workspaces/', '.duckdb-tmp', process.cwd(), process.env.HOME ?? '/root'];
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const REFUSED = [
  'SELECT * FROM duckdb_settings()',
  'select * from DUCKDB_SETTINGS()',
  'SELECT * FROM "duckdb_settings"()',
  'SELECT * FROM "DuckDB_Settings"()',
  'SELECT * FROM main.duckdb_settings()',
  'SELECT * FROM system.main.duckdb_settings()',
  'SELECT * FROM memory.main.duckdb_settings()',
  'FROM duckdb_settings()',
  'FROM duckdb_settings',
  'TABLE duckdb_settings',
  "SELECT value FROM duckdb_settings() WHERE name = 'temp_directory'",
  'SELECT * FROM positions, duckdb_settings()',
  'SELECT * FROM (SELECT * FROM duckdb_settings()) AS s',
  'SELECT * FROM unnest((SELECT list(value) FROM duckdb_settings()))',
  "SELECT current_setting('temp_directory')",
  "SELECT CURRENT_SETTING('allowed_directories')",
  "SELECT \"current_setting\"('temp_directory')",
  "SELECT main.current_setting('temp_directory')",
  "SELECT 'temp_directory'.current_setting()",
  "SELECT current_setting('home_directory')",
  "SELECT current_setting('extension_directory')",
  "SELECT (SELECT current_setting('temp_directory'))",
  "SELECT * FROM positions WHERE current_setting('temp_directory') IS NOT NULL",
  "WITH s AS (SELECT current_setting('temp_directory') AS p) SELECT * FROM s",
  "SELECT list_transform([1], lambda x: current_setting('temp_directory'))",
  "SELECT [current_setting('temp_directory') FOR x IN range(1)]",
  "SELECT count(*) FILTER (WHERE current_setting('temp_directory') LIKE '/%') FROM positions",
  "SELECT * FROM positions ORDER BY current_setting('temp_directory')",
  "SELECT * FROM range(1) AS r(current_setting) WHERE current_setting('allowed_directories') <> ''",
  'SELECT sql FROM duckdb_views()',
  'SELECT * FROM duckdb_views',
  'SELECT view_definition FROM information_schema.views',
  'SELECT * FROM INFORMATION_SCHEMA.VIEWS',
  'SELECT * FROM information_schema.tables',
  'SELECT * FROM pg_catalog.pg_views',
  'SELECT * FROM pg_views',
  'SELECT * FROM pg_settings',
  "SELECT pg_get_viewdef('positions')",
  'SELECT * FROM duckdb_databases()',
  'SELECT * FROM duckdb_extensions()',
  'SELECT * FROM duckdb_temporary_files()',
  'SELECT * FROM duckdb_secrets()',
  'SELECT * FROM duckdb_functions()',
  'SELECT * FROM duckdb_tables()',
  'SELECT * FROM duckdb_columns()',
  'SELECT * FROM duckdb_dependencies()',
  'SELECT * FROM duckdb_log_contexts()',
  "SELECT getvariable('x')",
  "SELECT GETVARIABLE('temp_directory')",
  "SELECT getenv('HOME')",
  'SELECT * FROM pragma_database_list',
  'FROM pragma_database_list()',
  'SELECT * FROM pragma_database_size()',
  "SELECT * FROM pragma_table_info('positions')",
  'SELECT * FROM sqlite_master',
  "SELECT * FROM query('SELECT * FROM duckdb_settings()')",
  "SELECT * FROM query('SELECT * FROM duck' || 'db_settings()')",
  "SELECT * FROM query_table('duckdb_settings')",
  "SELECT * FROM query_table(['duckdb_views'])",
  "SELECT json_execute_serialized_sql(json_serialize_sql('SELECT * FROM duckdb_settings()'))",
  "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT current_setting(''temp_directory'')'))",
  "SELECT which_secret('s3://bucket/x', 's3')",
  'PRAGMA database_list',
  "PRAGMA table_info('positions')",
  "SET VARIABLE x = current_setting('temp_directory')",
  'EXPLAIN SELECT * FROM positions',
  "CALL duckdb_settings()",
];

// Allowed, but their answers (or errors) must not carry a path either.
const ANSWERED = [
  'SHOW ALL TABLES',
  'SHOW TABLES',
  'DESCRIBE positions',
  'SUMMARIZE positions',
  'SELECT * FROM positions LIMIT 3',
  'SHOW temp_directory',
  'SELECT current_schema(), current_database()',
  "SELECT * FROM read_parquet('/definitely/not/here/x.parquet')",
  "SELECT * FROM read_csv('/etc/passwd')",
  "SELECT * FROM 'datasets/x.parquet'",
  'SELECT * FROM no_such_table',
  "SELECT error('/home/someone/data/workspaces/a/b/secret.parquet')",
];

function expectNoLeak(query: string, text: string) {
  for (const secret of secrets) expect(text, `${query} answered ${text.slice(0, 300)}`).not.toContain(secret);
}

describe('server paths through SQL', () => {
  it.each(REFUSED)('%s is refused without a path', async (query) => {
    for (const who of [owner, guest]) {
      const res = await t.request('POST', `/api/workspaces/${wid}/sql`, { token: who.token, body: { datasetId: did, sql: query } });
      expect([400, 403], `${query}: ${JSON.stringify(res.body)}`).toContain(res.status);
      expect(res.body.error.code).toMatch(/forbidden_statement|bad_request|syntax_error/);
      expectNoLeak(query, JSON.stringify(res.body));
    }
  });

  it.each(ANSWERED)('%s answers without a path', async (query) => {
    const res = await t.request('POST', `/api/workspaces/${wid}/sql`, { token: guest.token, body: { datasetId: did, sql: query } });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    expectNoLeak(query, JSON.stringify(res.body));
  });

  it('the refusal says what is allowed instead, and the server still answers', async () => {
    const res = await t.request('POST', `/api/workspaces/${wid}/sql`, { token: guest.token, body: { datasetId: did, sql: 'SELECT * FROM duckdb_settings()' } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('Queries may not read server settings, variables or the system catalog (duckdb_settings() is not allowed); use DESCRIBE <table> or SHOW TABLES to see tables and columns.');
    const ok = await t.request('POST', `/api/workspaces/${wid}/sql`, { token: guest.token, body: { datasetId: did, sql: 'SELECT count(*) AS n FROM positions' } });
    expect(ok.body.rows).toEqual([{ n: 20 }]);
  });
});

describe('error messages', () => {
  it('replace any absolute path left in a DuckDB message', () => {
    expect(hideAnyPath('IO Error: Cannot open file "/srv/almready/data/workspaces/u1/w1/datasets/.upload-x/a.parquet": broken'))
      .toBe('IO Error: Cannot open file "<path>": broken');
    expect(hideAnyPath("Catalog Error: 'C:\\data\\workspaces\\u\\w' and /tmp/almready-test-x/y are gone")).toBe("Catalog Error: '<path>' and <path> are gone");
    expect(hideAnyPath('Binder Error: 1/2 and a/b stay')).toBe('Binder Error: 1/2 and a/b stay');
    const mapped = toQueryError(new Error('Binder Error: view reads /var/lib/almready/workspaces/owner/ws/datasets/d/positions.parquet'), { timedOut: false, timeoutMs: 1000, memoryLimit: '1GB', hidePaths: [] });
    expect(mapped.message).toBe('Binder Error: view reads <path>');
  });
});
