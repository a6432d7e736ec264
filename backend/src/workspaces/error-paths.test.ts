/**
 * Breach: error messages carrying server paths. Damaged uploads of every format are refused with
 * a reason in the user's terms; no part of the data directory (its path, the owner or workspace
 * folder, the upload or import temp folders) appears anywhere in the answer.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { AS_OF, member, syntheticFiles, type Member } from './test-fixtures.ts';
import { deflatedEntry, zipArchive } from './zip-fixtures.ts';

let t: TestServer;
let owner: Member;
let wid: string;

beforeAll(async () => {
  t = await startTestServer();
  owner = await member(t, 'pia');
  wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Damaged' } })).body.workspace.id;
});

afterAll(async () => {
  await t?.stop();
});

async function damaged(): Promise<[string, string, Buffer][]> {
  const good = (await syntheticFiles(50)).positions;
  const text = good.toString('utf8');
  return [
    ['positions', 'book.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(4000, 7), Buffer.from('PAR1')])],
    ['positions', 'book-2.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.from(text.slice(0, 3000))])],
    ['positions', 'book.xlsx', zipArchive([deflatedEntry('[Content_Types].xml', '<Types'), deflatedEntry('xl/workbook.xml', '<workbook><sheets><sheet'), deflatedEntry('xl/worksheets/sheet1.xml', '<worksheet><sheetData><row><c>')])],
    ['positions', 'book-2.xlsx', zipArchive([deflatedEntry('xl/workbook.xml', 'x')]).subarray(0, 40)],
    ['positions', 'export.zip', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 1)])],
    ['positions', 'export-2.zip', zipArchive([deflatedEntry('Fixed bullet.csv', 'Identifier;x\r\n'.repeat(100))]).subarray(0, 120)],
    ['positions', 'truncated.csv', Buffer.from(`${text.slice(0, Math.floor(text.length / 2))}"unclosed,quote`)],
    ['positions', 'ragged.csv', Buffer.from(`${text.split('\n').slice(0, 5).join('\n')}\nP9,asset,x,EUR,1,2020-01-01\n`)],
    ['curves', 'curves.xlsx', zipArchive([deflatedEntry('xl/workbook.xml', '<workbook/>')])],
  ];
}

it('damaged Parquet, XLSX, ZIP and CSV uploads are refused without a file-system path in the answer', async () => {
  const files = await syntheticFiles(50);
  const root = join(t.dataDir, 'workspaces', owner.id, wid);
  const fragments = [t.dataDir, root, `${owner.id}/${wid}`, '/datasets/', '.upload-', '.tmp-', 'staging', '/tmp/'];
  let attempts = 0;
  for (const [field, name, bytes] of await damaged()) {
    const form = new FormData();
    form.set('name', name);
    form.set('as_of', AS_OF);
    if (field === 'positions') form.set('positions', new Blob([new Uint8Array(bytes)]), name);
    else {
      form.set('positions', new Blob([new Uint8Array(files.positions)]), 'positions.csv');
      form.set(field, new Blob([new Uint8Array(bytes)]), name);
    }
    const res = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: form });
    attempts += 1;
    const text = JSON.stringify(res.body);
    expect([415, 422], `${name}: ${text}`).toContain(res.status);
    expect(text, name).toContain(name);
    for (const fragment of fragments) expect(text, `${name} leaks ${fragment}: ${text}`).not.toContain(fragment);
    expect(text, `${name}: ${text}`).not.toMatch(/(^|[\s'"(])\/[\w.-]+\/[\w.-]+/);
    console.log(`${name} → ${res.status} ${res.body.error.message}`);
  }
  expect(attempts).toBe(9);
  expect(readdirSync(join(root, 'datasets'))).toEqual([]);
});

it('a run over a dataset whose files went missing fails with a message that names no server path', async () => {
  const { uploadDataset, waitForRun } = await import('./test-fixtures.ts');
  const { rmSync } = await import('node:fs');
  const did = await uploadDataset(t, owner.token, wid, 50);
  const datasetDir = join(t.dataDir, 'workspaces', owner.id, wid, 'datasets', did);
  rmSync(join(datasetDir, 'manifest.json'));
  const started = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: did } });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const run = await waitForRun(t, owner.token, wid, started.body.run.id);
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(/no such file or directory/);
  expect(run.error).not.toContain(t.dataDir);
  expect(run.error).not.toContain(did + '/');
  expect(run.error).not.toMatch(/(^|[\s'"(])\/[\w.-]+\/[\w.-]+/);
});
