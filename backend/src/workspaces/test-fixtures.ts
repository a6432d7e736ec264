/**
 * Shared set-up for workspace tests over real HTTP: a small synthetic dataset as multipart form
 * data, and a team (owner + one member per role + a stranger) around one workspace.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticBalanceSheet } from '@almready/engine';
import type { TestServer } from '../testing/server.ts';
import { writeSyntheticCsv } from './synthetic-csv.ts';

export const AS_OF = '2025-06-30';
const csvCache = new Map<number, { positions: Buffer; curves: Buffer; schedules: Buffer }>();

export async function syntheticFiles(positions: number, seed = 7): Promise<{ positions: Buffer; curves: Buffer; schedules: Buffer }> {
  const cached = csvCache.get(positions * 1000 + seed);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'almready-csv-'));
  try {
    const files = await writeSyntheticCsv(dir, syntheticBalanceSheet({ positions, asOf: AS_OF, seed }));
    const out = { positions: readFileSync(files.positions), curves: readFileSync(files.curves), schedules: readFileSync(files.schedules) };
    csvCache.set(positions * 1000 + seed, out);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function datasetForm(positions = 200, name = 'Small book'): Promise<FormData> {
  const files = await syntheticFiles(positions);
  const form = new FormData();
  form.set('name', name);
  form.set('as_of', AS_OF);
  form.set('positions', new Blob([new Uint8Array(files.positions)]), 'positions.csv');
  form.set('curves', new Blob([new Uint8Array(files.curves)]), 'curves.csv');
  form.set('schedules', new Blob([new Uint8Array(files.schedules)]), 'schedules.csv');
  return form;
}

export interface Member {
  id: string;
  username: string;
  token: string;
}

export interface Team {
  owner: Member;
  edit: Member;
  explore: Member;
  view: Member;
  stranger: Member;
  wid: string;
}

export async function member(t: TestServer, username: string): Promise<Member> {
  const password = `${username}-password-1`;
  const user = await t.createUser(username, password);
  const { token } = await t.login(username, password);
  return { id: user.id, username, token };
}

export async function shareWorkspace(t: TestServer, owner: Member, wid: string, members: [Member, 'edit' | 'explore' | 'view'][]): Promise<void> {
  for (const [m, role] of members) {
    const res = await t.request('PUT', `/api/workspaces/${wid}/members/${m.username}`, { token: owner.token, body: { role } });
    if (res.status !== 200) throw new Error(`sharing with ${m.username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

export async function createTeam(t: TestServer, prefix = ''): Promise<Team> {
  const [owner, edit, explore, view, stranger] = await Promise.all(['owner', 'editor', 'explorer', 'viewer', 'stranger'].map((n) => member(t, `${prefix}${n}`)));
  const res = await t.request('POST', '/api/workspaces', { token: owner!.token, body: { name: 'ALM team' } });
  if (res.status !== 201) throw new Error(`workspace create failed: ${res.status}`);
  const wid = res.body.workspace.id as string;
  await shareWorkspace(t, owner!, wid, [[edit!, 'edit'], [explore!, 'explore'], [view!, 'view']]);
  return { owner: owner!, edit: edit!, explore: explore!, view: view!, stranger: stranger!, wid };
}

export async function uploadDataset(t: TestServer, token: string, wid: string, positions = 200): Promise<string> {
  const res = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token, body: await datasetForm(positions) });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return res.body.dataset.id as string;
}

/** Polls a run until it is finished; returns the final run. */
export async function waitForRun(t: TestServer, token: string, wid: string, rid: string, timeoutMs = 60_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.request('GET', `/api/workspaces/${wid}/runs/${rid}`, { token });
    if (['done', 'failed', 'cancelled'].includes(res.body.run?.status)) return res.body.run;
    if (Date.now() > until) throw new Error(`run ${rid} still ${res.body.run?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
