import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { createTeam, uploadDataset, type Team } from '../workspaces/test-fixtures.ts';
import { notebookExample } from './catalog.ts';
import { runNotebook, unfinished } from './run-example.ts';

let t: TestServer;
let team: Team;
let did: string;

beforeAll(async () => {
  t = await startTestServer();
  team = await createTeam(t);
  did = await uploadDataset(t, team.owner.token, team.wid, 300);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

async function runExample(id: string, parameters?: Record<string, unknown>) {
  const example = notebookExample(id)!;
  const nb = await t.request('POST', `/api/workspaces/${team.wid}/notebooks`, { token: team.edit.token, body: { name: example.name, content: example.document } });
  expect(nb.status, JSON.stringify(nb.body)).toBe(201);
  return runNotebook(t, team.explore.token, team.wid, nb.body.notebook.id, { target: 'notebook', datasetId: did, ...(parameters ? { parameters } : {}) });
}

describe('dev', () => {
  it('irrbb', async () => {
    const run = await runExample(process.env.EX ?? 'irrbb-report');
    console.log(unfinished(run));
    console.log(JSON.stringify(run.outputs, null, 1).slice(0, Number(process.env.LEN ?? 6000)));
  }, 180_000);
});
