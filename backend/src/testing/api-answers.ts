/**
 * Real answers of a real server, captured for the SPA's tests (frontend/src/api/fixtures/):
 * a fresh server, a workspace with the synthetic test book (300 positions, seed 7), a run of the
 * regulatory scenarios plus one extra shock, and every answer the SPA reads along the way. Each
 * answer is named with the contract schema it must satisfy, so a capture is checked before it
 * is kept and a fixture cannot hold a shape the server does not send.
 */
import type { z } from 'zod';
import {
  adminUsersAnswerSchema, auditAnswerSchema, datasetAnswerSchema, datasetsAnswerSchema, errorBodySchema, loginAnswerSchema,
  meAnswerSchema, membersAnswerSchema, notebookAnswerSchema, notebooksAnswerSchema, pageResultSchema, runAnswerSchema,
  runEventSchema, runsAnswerSchema, runStartedAnswerSchema, eveTableSchema, gapTableSchema, niiTableSchema, resultTableSchema,
  sqlResultSchema, workspaceAnswerSchema, workspacesAnswerSchema,
} from '@almready/contracts';
import type { TestServer } from './server.ts';
import { datasetForm } from '../workspaces/test-fixtures.ts';

/** Each captured answer and the contract it is read with. */
export const ANSWER_SCHEMAS = {
  login: loginAnswerSchema,
  me: meAnswerSchema,
  adminUsers: adminUsersAnswerSchema,
  audit: auditAnswerSchema,
  workspaceCreated: workspaceAnswerSchema,
  workspaces: workspacesAnswerSchema,
  members: membersAnswerSchema,
  datasetUploaded: datasetAnswerSchema,
  datasets: datasetsAnswerSchema,
  queryPage: pageResultSchema,
  sql: sqlResultSchema,
  runRefused: errorBodySchema,
  runStarted: runStartedAnswerSchema,
  runEvents: runEventSchemaList(),
  run: runAnswerSchema,
  runs: runsAnswerSchema,
  eve: eveTableSchema,
  nii: niiTableSchema,
  gap: gapTableSchema,
  eveByBucket: resultTableSchema,
  eveByCurrency: resultTableSchema,
  niiByCurrency: resultTableSchema,
  niiProfile: resultTableSchema,
  notebookCreated: notebookAnswerSchema,
  notebooks: notebooksAnswerSchema,
} as const satisfies Record<string, z.ZodType>;

function runEventSchemaList() {
  return runEventSchema.array().min(2);
}

export type AnswerName = keyof typeof ANSWER_SCHEMAS;
export type ApiAnswers = { [K in AnswerName]: z.infer<(typeof ANSWER_SCHEMAS)[K]> };

/**
 * The run the fixtures hold: the six regulatory shocks and a 300 bp parallel down shock (which
 * the EVE outlier test must not count). With this Tier 1 the book breaches the EVE test, and
 * passes the NII test on the parallel shocks while short_up loses more than 5% of Tier 1: a page
 * testing every shock shown would wrongly say "breached".
 */
export const FIXTURE_RUN = {
  method: 'full',
  floor: 'eu',
  scenarios: ['base', 'parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down', 'parallel_down_300'],
  niiHorizonMonths: 12,
  tier1: 7e6,
} as const;

/** The SSE stream of a run, read to its end, as the contract's events (`{type, ...data}`). */
async function readEvents(t: TestServer, path: string, token: string): Promise<unknown[]> {
  const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`events: HTTP ${res.status}`);
  const text = await res.text();
  return text.split('\n\n').filter((block) => block.startsWith('event:')).map((block) => {
    const [eventLine, dataLine] = block.split('\n');
    return { type: eventLine!.slice('event: '.length), ...(JSON.parse(dataLine!.slice('data: '.length)) as object) };
  });
}

async function ok(t: TestServer, method: string, path: string, token: string, body?: unknown, expected = 200): Promise<unknown> {
  const res = await t.request(method, path, body === undefined ? { token } : { token, body });
  if (res.status !== expected) throw new Error(`${method} ${path}: HTTP ${res.status} (expected ${expected}) ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** Captures every answer of ANSWER_SCHEMAS from `t` (a fresh server), unchecked. */
export async function captureAnswers(t: TestServer): Promise<Record<AnswerName, unknown>> {
  const loginRes = await t.request('POST', '/api/auth/login', { body: { username: t.admin.username, password: t.admin.password } });
  if (loginRes.status !== 200) throw new Error(`login: HTTP ${loginRes.status}`);
  const token = (loginRes.body as { token: string }).token;
  const api = '/api/workspaces';
  const workspaceCreated = await ok(t, 'POST', api, token, { name: 'Contract fixtures', description: 'Synthetic book for the SPA tests' }, 201);
  const wid = (workspaceCreated as { workspace: { id: string } }).workspace.id;
  const upload = await t.request('POST', `${api}/${wid}/datasets`, { token, body: await datasetForm(300, 'Synthetic book') });
  if (upload.status !== 201) throw new Error(`upload: HTTP ${upload.status} ${JSON.stringify(upload.body).slice(0, 300)}`);
  const did = (upload.body as { dataset: { id: string } }).dataset.id;
  const runRefused = await ok(t, 'POST', `${api}/${wid}/runs`, token, { datasetId: did, scenarios: ['base', 'parallel_up_250bp'] }, 422);
  const runStarted = await ok(t, 'POST', `${api}/${wid}/runs`, token, { datasetId: did, ...FIXTURE_RUN }, 202);
  const rid = (runStarted as { run: { id: string } }).run.id;
  const runEvents = await readEvents(t, `${api}/${wid}/runs/${rid}/events`, token);
  const results = (table: string) => ok(t, 'GET', `${api}/${wid}/runs/${rid}/results/${table}`, token);
  return {
    login: loginRes.body,
    me: await ok(t, 'GET', '/api/auth/me', token),
    adminUsers: await ok(t, 'GET', '/api/admin/users', token),
    audit: await ok(t, 'GET', '/api/admin/audit?limit=5', token),
    workspaceCreated,
    workspaces: await ok(t, 'GET', api, token),
    members: await ok(t, 'GET', `${api}/${wid}/members`, token),
    datasetUploaded: upload.body,
    datasets: await ok(t, 'GET', `${api}/${wid}/datasets`, token),
    queryPage: await ok(t, 'POST', `${api}/${wid}/datasets/${did}/query`, token, { table: 'positions', startRow: 0, endRow: 3, sortModel: [{ colId: 'position_id', sort: 'asc' }] }),
    sql: await ok(t, 'POST', `${api}/${wid}/sql`, token, { datasetId: did, sql: 'SELECT currency, count(*) AS n FROM positions GROUP BY currency ORDER BY currency' }),
    runRefused,
    runStarted,
    runEvents,
    run: await ok(t, 'GET', `${api}/${wid}/runs/${rid}`, token),
    runs: await ok(t, 'GET', `${api}/${wid}/runs`, token),
    eve: await results('eve'),
    nii: await results('nii'),
    gap: await results('gap'),
    eveByBucket: await results('eve_by_bucket'),
    eveByCurrency: await results('eve_by_currency'),
    niiByCurrency: await results('nii_by_currency'),
    niiProfile: await results('nii_profile'),
    notebookCreated: await ok(t, 'POST', `${api}/${wid}/notebooks`, token, { name: 'Scratch' }, 201),
    notebooks: await ok(t, 'GET', `${api}/${wid}/notebooks`, token),
  };
}

/**
 * The shape of a JSON value: keys and value kinds, recursively; arrays by the union of their
 * elements' shapes. Ids, times and figures may differ between two captures; shapes may not.
 */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const shapes = new Map<string, unknown>();
    for (const item of value) {
      const shape = shapeOf(item);
      shapes.set(JSON.stringify(shape), shape);
    }
    return { array: [...shapes.keys()].sort().map((k) => shapes.get(k)) };
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]));
  }
  return typeof value;
}
