/** The upload's sniffed type is what the importer reads, whatever the file is called. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { AS_OF, member, syntheticFiles, type Member } from './test-fixtures.ts';

let t: TestServer;
let owner: Member;
let wid: string;

beforeAll(async () => {
  t = await startTestServer();
  owner = await member(t, 'nina');
  wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Names' } })).body.workspace.id;
});

afterAll(async () => {
  await t?.stop();
});

it('a CSV named .xlsx is imported as CSV and keeps the name it was sent with', async () => {
  const files = await syntheticFiles(30);
  const form = new FormData();
  form.set('as_of', AS_OF);
  form.set('positions', new Blob([new Uint8Array(files.positions)]), 'book.xlsx');
  form.set('curves', new Blob([new Uint8Array(files.curves)]), 'curves');
  const res = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: form });
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
  expect(res.body.dataset.rows.positions).toBe(30);
  expect(res.body.dataset.sourceFiles.map((f: { field: string; name: string }) => [f.field, f.name])).toEqual([['positions', 'book.xlsx'], ['curves', 'curves']]);
  expect(res.body.dataset.name).toBe('book.xlsx');
});
