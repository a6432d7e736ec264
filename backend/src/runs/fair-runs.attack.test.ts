/**
 * Breach 13 of the attack run: after one user queued 30 runs, another user's single run finished
 * after all 30. Tried against the real server with one calculation worker: one user fills her
 * queue, the next run is refused with 429 and writes nothing, and another user's one run is the
 * next to start after the running one — before any of her waiting runs.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, uploadDataset, waitForRun, type Member } from '../workspaces/test-fixtures.ts';

const QUEUED_CAP = 6;
let t: TestServer;
let alice: Member;
let bob: Member;
let aliceWid: string;
let aliceDid: string;
let bobWid: string;
let bobDid: string;

beforeAll(async () => {
  process.env.ALMREADY_RUN_WORKERS = '1';
  process.env.ALMREADY_RUNS_PER_USER = '1';
  process.env.ALMREADY_RUNS_QUEUED_PER_USER = String(QUEUED_CAP);
  try {
    t = await startTestServer();
  } finally {
    delete process.env.ALMREADY_RUN_WORKERS;
    delete process.env.ALMREADY_RUNS_PER_USER;
    delete process.env.ALMREADY_RUNS_QUEUED_PER_USER;
  }
  [alice, bob] = await Promise.all([member(t, 'alice'), member(t, 'bob')]);
  aliceWid = (await t.request('POST', '/api/workspaces', { token: alice.token, body: { name: 'Flood' } })).body.workspace.id;
  bobWid = (await t.request('POST', '/api/workspaces', { token: bob.token, body: { name: 'One run' } })).body.workspace.id;
  [aliceDid, bobDid] = await Promise.all([uploadDataset(t, alice.token, aliceWid, 100), uploadDataset(t, bob.token, bobWid, 100)]);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const start = (m: Member, wid: string, did: string) => t.request('POST', `/api/workspaces/${wid}/runs`, { token: m.token, body: { datasetId: did } });
const runFolders = (m: Member, wid: string) => readdirSync(join(t.dataDir, 'workspaces', m.id, wid, 'runs'));

describe('one user\'s queue', () => {
  it('is capped with a 429 that writes nothing, and another user\'s run starts next', async () => {
    const alices: string[] = [];
    // One running plus QUEUED_CAP waiting.
    for (let i = 0; i <= QUEUED_CAP; i += 1) {
      const res = await start(alice, aliceWid, aliceDid);
      expect(res.status).toBe(202);
      alices.push(res.body.run.id);
    }
    const listed = (await t.request('GET', `/api/workspaces/${aliceWid}/runs`, { token: alice.token })).body.runs.length;
    const folders = runFolders(alice, aliceWid).sort();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const refused = await start(alice, aliceWid, aliceDid);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('too_many_runs');
      expect(refused.body.error.message).toContain(`${QUEUED_CAP} runs waiting`);
    }
    expect((await t.request('GET', `/api/workspaces/${aliceWid}/runs`, { token: alice.token })).body.runs).toHaveLength(listed);
    expect(runFolders(alice, aliceWid).sort()).toEqual(folders);

    const bobs = await start(bob, bobWid, bobDid);
    expect(bobs.status).toBe(202);
    const bobRun = await waitForRun(t, bob.token, bobWid, bobs.body.run.id, 90_000);
    expect(bobRun.status).toBe('done');

    const runs = (await t.request('GET', `/api/workspaces/${aliceWid}/runs`, { token: alice.token })).body.runs as { id: string; status: string; startedAt: string | null }[];
    const byId = new Map(runs.map((r) => [r.id, r]));
    const first = byId.get(alices[0] as string)!;
    expect(first.startedAt).not.toBeNull();
    expect(first.startedAt! <= bobRun.startedAt).toBe(true);
    // None of Alice's waiting runs started before Bob's.
    for (const id of alices.slice(1)) {
      const run = byId.get(id)!;
      if (run.startedAt !== null) expect(run.startedAt >= bobRun.startedAt, `${id} started ${run.startedAt}, Bob ${bobRun.startedAt}`).toBe(true);
    }
    const startedBeforeBob = alices.slice(1).filter((id) => { const s = byId.get(id)!.startedAt; return s !== null && s < bobRun.startedAt; });
    expect(startedBeforeBob).toEqual([]);

    // Alice's queue drains; once below the cap she may start again.
    for (const id of alices) await t.request('POST', `/api/workspaces/${aliceWid}/runs/${id}/cancel`, { token: alice.token });
    expect((await start(alice, aliceWid, aliceDid)).status).toBe(202);
  }, 150_000);
});
