/**
 * Bad requests get a clear 4xx and leave the workspace folder exactly as it was: malformed JSON,
 * unknown fields, an upload over the size limit, path-traversal file names, wrong file types.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { datasetForm, member, syntheticFiles, type Member } from './test-fixtures.ts';

let t: TestServer;
let owner: Member;
let wid: string;

function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const s = statSync(path);
      if (s.isDirectory()) walk(path);
      out.push(`${relative(dir, path)}${s.isDirectory() ? '/' : ` ${s.size}`}`);
    }
  };
  walk(dir);
  return out;
}

function workspaceFolder(): string {
  return join(t.dataDir, 'workspaces', owner.id, wid);
}

beforeAll(async () => {
  // 0.05 MB: the 200-position CSV fits, the 2,000-position one does not.
  t = await startTestServer({ env: { maxUploadMb: 0.05 } });
  owner = await member(t, 'olga');
  const res = await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Inputs' } });
  wid = res.body.workspace.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('JSON bodies', () => {
  it('malformed JSON is a 400 saying so', async () => {
    const res = await t.request('POST', '/api/workspaces', { token: owner.token, body: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/JSON/);
  });

  it('unknown fields are refused with the field named', async () => {
    const res = await t.request('PATCH', `/api/workspaces/${wid}`, { token: owner.token, body: { name: 'ok', owner_id: 'someone-else' } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error)).toContain('owner_id');
    const run = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: crypto.randomUUID(), shell: 'rm -rf /' } });
    expect(run.status).toBe(422);
  });

  it('run settings out of range are a 422 with a sentence', async () => {
    const cases: [unknown, string][] = [
      [{ tier1: -5 }, 'tier1'],
      [{ niiHorizonMonths: 0 }, 'niiHorizonMonths must be 1 to 120'],
      [{ niiHorizonMonths: 121 }, 'niiHorizonMonths must be 1 to 120'],
      [{ method: 'magic' }, 'method must be "full" or "standardised"'],
      [{ scenarios: ['parallel_sideways'] }, 'unknown scenario id: use base, the six regulatory ids'],
    ];
    for (const [extra, message] of cases) {
      const res = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: crypto.randomUUID(), ...(extra as object) } });
      expect(res.status, JSON.stringify(extra)).toBe(422);
      expect(res.body.error.message).toContain(message);
    }
  });

  it('a notebook that is not a valid document is a 422 with the reason', async () => {
    const res = await t.request('POST', `/api/workspaces/${wid}/notebooks`, { token: owner.token, body: { name: 'x', content: { format: 'almready-notebook', version: 1, title: 'x', cells: [{ id: 'a', kind: 'python', source: '' }] } } });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('cells.0.kind');
  });
});

describe('uploads', () => {
  it('an upload over the limit is a 413 and leaves no file behind', async () => {
    const before = snapshot(workspaceFolder());
    const big = await syntheticFiles(2000);
    expect(big.positions.length).toBeGreaterThan(0.05 * 1024 * 1024);
    const form = new FormData();
    form.set('as_of', '2025-06-30');
    form.set('positions', new Blob([new Uint8Array(big.positions)]), 'positions.csv');
    const res = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: form });
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(413);
    expect(res.body.error.message).toContain('0.05 MB');
    expect(snapshot(workspaceFolder())).toEqual(before);
  });

  it('a path-traversal file name is only a label: stored inside the workspace, nothing written elsewhere', async () => {
    const before = snapshot(t.dataDir).filter((p) => !p.includes(wid) && !p.startsWith('almready.db'));
    const form = await datasetForm(200);
    const files = await syntheticFiles(200);
    form.set('positions', new Blob([new Uint8Array(files.positions)]), '../../../../etc/passwd.csv');
    const res = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: form });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const source = res.body.dataset.sourceFiles.find((f: { field: string }) => f.field === 'positions');
    expect(source.name).toBe('passwd.csv');
    expect(res.body.dataset.rows.positions).toBe(200);
    const after = snapshot(t.dataDir).filter((p) => !p.includes(wid) && !p.startsWith('almready.db'));
    expect(after).toEqual(before);
    const datasets = readdirSync(join(workspaceFolder(), 'datasets'));
    expect(datasets).toEqual([res.body.dataset.id]);
  });

  it('wrong file types are refused with 415 and a message naming what is accepted', async () => {
    const before = snapshot(workspaceFolder());
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const form = new FormData();
    form.set('as_of', '2025-06-30');
    form.set('positions', new Blob([png]), 'positions.csv');
    const res = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: form });
    expect(res.status).toBe(415);
    expect(res.body.error.message).toContain('positions accepts CSV, XLSX, PARQUET, ZIP');

    const parquetAsCurves = new FormData();
    parquetAsCurves.set('as_of', '2025-06-30');
    parquetAsCurves.set('positions', new Blob([new Uint8Array((await syntheticFiles(200)).positions)]), 'p.csv');
    parquetAsCurves.set('curves', new Blob([new TextEncoder().encode('PAR1....')]), 'curves.csv');
    const res2 = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: parquetAsCurves });
    expect(res2.status).toBe(415);
    expect(res2.body.error.message).toContain('curves accepts CSV, XLSX');

    const json = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: { positions: 'x' } });
    expect(json.status).toBe(415);
    expect(snapshot(workspaceFolder())).toEqual(before);
  });

  it('rows that break the schema are a 422 listing row, column and reason; nothing is kept', async () => {
    const before = snapshot(workspaceFolder());
    const form = new FormData();
    form.set('as_of', '2025-06-30');
    form.set('positions', new Blob(['position_id,side,product,currency,notional,maturity_date,amortization,rate_type,rate\nA1,asset,loan,EUR,-5,2030-01-01,bullet,fixed,0.02\n']), 'p.csv');
    const res = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: form });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.total).toBeGreaterThanOrEqual(1);
    expect(res.body.error.details.errors.some((e: { column: string; row: number }) => e.column === 'notional' && e.row === 2)).toBe(true);
    expect(snapshot(workspaceFolder())).toEqual(before);
  });

  it('unknown form fields are refused', async () => {
    const form = await datasetForm(50);
    form.set('path', '/etc');
    const res = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: form });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('Unknown form field "path"');
  });
});
