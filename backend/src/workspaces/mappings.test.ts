/**
 * Saved column mappings over real HTTP: a bank export with its own column names imports once its
 * mapping is saved; bad mappings and unknown names are refused with the reason; nothing is written.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, type Member } from './test-fixtures.ts';

let t: TestServer;
let owner: Member;
let wid: string;

// A bank's own headers: none of "Saldo vivo", "Vencimiento", "Tipo", "Divisa" is a known synonym.
const BANK_CSV = [
  'Contrato,Lado,Producto,Divisa,Saldo vivo,Vencimiento,Amortizacion,Clase de tipo,Tipo',
  'C1,asset,hipoteca,EUR,250000,2035-06-30,annuity,fixed,0.031',
  'C2,liability,deposito,EUR,100000,2026-06-30,bullet,fixed,0.012',
].join('\n');
const CURVES = 'curve_id,tenor,rate\nEUR_ESTR_OIS,1Y,0.025\nEUR_ESTR_OIS,10Y,0.03\n';
const MAPPING = { position_id: 'Contrato', side: 'Lado', product: 'Producto', currency: 'Divisa', notional: 'Saldo vivo', maturity_date: 'Vencimiento', amortization: 'Amortizacion', rate_type: 'Clase de tipo', rate: 'Tipo' };

function upload(fields: Record<string, string>) {
  const form = new FormData();
  form.set('as_of', '2025-06-30');
  form.set('positions', new Blob([BANK_CSV]), 'bank.csv');
  form.set('curves', new Blob([CURVES]), 'curves.csv');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: form });
}

const datasetDirs = () => readdirSync(join(t.dataDir, 'workspaces', owner.id, wid, 'datasets'));

beforeAll(async () => {
  t = await startTestServer();
  owner = await member(t, 'mara');
  wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Mappings' } })).body.workspace.id;
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('saved column mappings', () => {
  it('without a mapping the bank file is refused, naming the missing columns', async () => {
    const res = await upload({});
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error.details.errors)).toContain('notional');
    expect(datasetDirs()).toEqual([]);
  });

  it('a saved mapping is listed and imports the file by name; the dataset records the mapping used', async () => {
    const saved = await t.request('PUT', `/api/workspaces/${wid}/mappings/core-banking`, { token: owner.token, body: { mapping: MAPPING } });
    expect(saved.status).toBe(200);
    expect(saved.body.mapping).toMatchObject({ name: 'core-banking', mapping: MAPPING, updatedBy: owner.id });
    const list = await t.request('GET', `/api/workspaces/${wid}/mappings`, { token: owner.token });
    expect(list.body.mappings.map((m: { name: string }) => m.name)).toEqual(['core-banking']);

    const res = await upload({ mapping_name: 'core-banking' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.dataset.rows.positions).toBe(2);
    expect(res.body.dataset.mapping.notional).toBe('Saldo vivo');
    const totals = res.body.dataset.totals as { side: string; notional: number }[];
    expect(totals.find((x) => x.side === 'asset')?.notional).toBe(250000);
  });

  it('refuses a mapping with a non-canonical column, an unknown saved name, and both kinds at once', async () => {
    const before = datasetDirs();
    const bad = await t.request('PUT', `/api/workspaces/${wid}/mappings/broken`, { token: owner.token, body: { mapping: { balance_amount: 'Saldo' } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('"balance_amount" is not a canonical column');
    const unknown = await upload({ mapping_name: 'does-not-exist' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toBe('No saved mapping named "does-not-exist" in this workspace (saved: core-banking).');
    const both = await upload({ mapping_name: 'core-banking', mapping: JSON.stringify(MAPPING) });
    expect(both.status).toBe(422);
    expect(both.body.error.message).toContain('not both');
    const badName = await t.request('PUT', `/api/workspaces/${wid}/mappings/${encodeURIComponent('../x')}`, { token: owner.token, body: { mapping: MAPPING } });
    expect(badName.status).toBe(422);
    expect(datasetDirs()).toEqual(before);
    const list = await t.request('GET', `/api/workspaces/${wid}/mappings`, { token: owner.token });
    expect(list.body.mappings).toHaveLength(1);
  });

  it('deleting a mapping removes it; deleting again is 404', async () => {
    expect((await t.request('DELETE', `/api/workspaces/${wid}/mappings/core-banking`, { token: owner.token })).status).toBe(204);
    expect((await t.request('DELETE', `/api/workspaces/${wid}/mappings/core-banking`, { token: owner.token })).status).toBe(404);
    expect((await t.request('GET', `/api/workspaces/${wid}/mappings`, { token: owner.token })).body.mappings).toEqual([]);
  });
});
