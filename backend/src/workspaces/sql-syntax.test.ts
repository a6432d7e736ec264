/**
 * A SQL typo is a syntax error with DuckDB's message (400 `syntax_error`), never a permission
 * refusal (403); statements that parse but write are still refused with 403.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, uploadDataset, type Member } from './test-fixtures.ts';

let t: TestServer;
let owner: Member;
let wid: string;
let did: string;

beforeAll(async () => {
  t = await startTestServer();
  owner = await member(t, 'sia');
  wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Typos' } })).body.workspace.id;
  did = await uploadDataset(t, owner.token, wid, 20);
});
afterAll(async () => {
  await t?.stop();
});

const sql = (text: string) => t.request('POST', `/api/workspaces/${wid}/sql`, { token: owner.token, body: { datasetId: did, sql: text } });

it.each([
  ['selec * from positions', 'selec'],
  ['SELECT * FORM positions', 'positions'],
  ['select (1', 'syntax error'],
  ['select * from positions where', 'syntax error'],
])('%s → 400 syntax_error with the parser message', async (text, mentions) => {
  const res = await sql(text);
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('syntax_error');
  expect(res.body.error.message).toMatch(/syntax error/i);
  expect(res.body.error.message).toContain(mentions);
});

it('a statement that parses but writes is still refused with 403', async () => {
  const res = await sql('delete from positions');
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe('forbidden_statement');
  expect((await sql('select count(*) as n from positions')).body.rows).toEqual([{ n: 20 }]);
});
