/**
 * Weak spot: stalled uploads holding temp folders. One user may have only a few uploads in flight
 * (429 beyond); a body that goes quiet is dropped with 408; a client that hangs up ends its
 * upload; in every case the `.upload-*` folder goes, and start-up sweeps any a crash left behind.
 * Raw sockets on 127.0.0.1, bounded loops.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { datasetForm, member, shareWorkspace, type Member } from './test-fixtures.ts';

let attempts = 0;

interface Stalled {
  socket: Socket;
  answer: () => string;
  /** the server ended the connection */
  ended: () => boolean;
}

/** A multipart upload that sends its headers and 64 KB of a 10 MB file, then nothing. */
function stalledUpload(s: TestServer, token: string, wid: string): Stalled {
  attempts += 1;
  const { port } = new URL(s.url);
  const socket = connect(Number(port), '127.0.0.1');
  let answer = '';
  let ended = false;
  socket.on('data', (d) => (answer += d.toString('latin1')));
  socket.on('end', () => (ended = true));
  socket.on('error', () => {});
  const boundary = 'stall';
  socket.write([
    `POST /api/workspaces/${wid}/datasets HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Authorization: Bearer ${token}`,
    `Content-Type: multipart/form-data; boundary=${boundary}`, `Content-Length: ${10 * 1024 * 1024}`, '', '',
  ].join('\r\n'));
  socket.write(`--${boundary}\r\nContent-Disposition: form-data; name="positions"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  socket.write('position_id,side,currency,notional\n'.padEnd(64 * 1024, 'x'));
  return { socket, answer: () => answer, ended: () => ended };
}

async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`still waiting after ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const uploadFolders = (s: TestServer, owner: Member, wid: string) => {
  try {
    return readdirSync(join(s.dataDir, 'workspaces', owner.id, wid, 'datasets')).filter((n) => n.startsWith('.upload-'));
  } catch {
    return [];
  }
};

describe('uploads in flight', () => {
  let t: TestServer;
  let owner: Member;
  let other: Member;
  let wid: string;

  beforeAll(async () => {
    t = await startTestServer({ env: { uploadsPerUser: 3, uploadIdleMs: 60_000 } });
    [owner, other] = await Promise.all([member(t, 'una'), member(t, 'otto')]);
    wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Stalls' } })).body.workspace.id;
    await shareWorkspace(t, owner, wid, [[other, 'edit']]);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('a fourth and fifth stalled upload of one user get 429; another user is not held up; hanging up removes every temp folder', async () => {
    const stalled = [0, 1, 2].map(() => stalledUpload(t, owner.token, wid));
    await until('three upload folders', () => uploadFolders(t, owner, wid).length === 3);
    const extra = [0, 1].map(() => stalledUpload(t, owner.token, wid));
    await until('two 429 answers', () => extra.every((e) => e.answer().includes('\r\n\r\n{')));
    await until('the server closing the refused connections', () => extra.every((e) => e.ended()), 5_000);
    for (const e of extra) {
      expect(e.answer()).toMatch(/^HTTP\/1\.1 429 /);
      const body = JSON.parse(e.answer().slice(e.answer().indexOf('\r\n\r\n') + 4));
      expect(body.error.code).toBe('too_many_uploads');
      expect(body.error.message).toContain('You already have 3 uploads in progress');
      e.socket.destroy();
    }
    expect(uploadFolders(t, owner, wid)).toHaveLength(3);
    // the cap is per user: a colleague's upload into the same workspace goes through meanwhile
    const colleague = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: other.token, body: await datasetForm(50) });
    expect(colleague.status).toBe(201);
    // the server answers while the stalls hang
    expect((await t.request('GET', '/api/auth/me', { token: owner.token })).status).toBe(200);

    for (const s of stalled) s.socket.destroy();
    await until('upload folders removed after the clients hung up', () => uploadFolders(t, owner, wid).length === 0, 5_000);
    // the slots are free again
    const after = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: await datasetForm(50) });
    expect(after.status).toBe(201);
    expect(uploadFolders(t, owner, wid)).toEqual([]);
  });

  it('twenty uploads hung up at once leave no folder behind', async () => {
    for (let round = 0; round < 5; round += 1) {
      const batch = [0, 1, 2, 3].map(() => stalledUpload(t, owner.token, wid));
      await until('answers or folders', () => uploadFolders(t, owner, wid).length + batch.filter((b) => b.answer().includes(' 429 ')).length === 4);
      for (const b of batch) b.socket.destroy();
      await until('no upload folder', () => uploadFolders(t, owner, wid).length === 0, 5_000);
    }
  });
});

describe('a quiet upload body', () => {
  let t: TestServer;
  let owner: Member;
  let wid: string;

  beforeAll(async () => {
    t = await startTestServer({ env: { uploadsPerUser: 3, uploadIdleMs: 800 } });
    owner = await member(t, 'ivy');
    wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Idle' } })).body.workspace.id;
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('is dropped with 408 after the idle time and its folder removed', async () => {
    const stalled = [0, 1, 2].map(() => stalledUpload(t, owner.token, wid));
    await until('three 408 answers', () => stalled.every((s) => s.answer().includes('\r\n\r\n{')));
    // the server hangs up on them: the rest of a stalled body is not waited for
    await until('the server closing the stalled connections', () => stalled.every((s) => s.ended()), 5_000);
    for (const s of stalled) {
      expect(s.answer()).toMatch(/^HTTP\/1\.1 408 /);
      const body = JSON.parse(s.answer().slice(s.answer().indexOf('\r\n\r\n') + 4));
      expect(body.error).toEqual({ code: 'upload_timeout', message: 'The upload sent nothing for 1 s and was dropped; send it again.' });
      s.socket.destroy();
    }
    expect(uploadFolders(t, owner, wid)).toEqual([]);
    expect((await t.request('GET', `/api/workspaces/${wid}/datasets`, { token: owner.token })).body.datasets).toEqual([]);
  });
});

describe('start-up', () => {
  it('sweeps upload and import temp folders a crash left behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'almready-sweep-'));
    try {
      const first = await startTestServer({ env: { dataDir } });
      const owner = await member(first, 'sven');
      const wid = (await first.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Sweep' } })).body.workspace.id;
      await first.stop();
      const datasets = join(dataDir, 'workspaces', owner.id, wid, 'datasets');
      for (let i = 0; i < 150; i += 1) mkdirSync(join(datasets, `.upload-${crypto.randomUUID()}`), { recursive: true });
      mkdirSync(join(datasets, `.tmp-${crypto.randomUUID()}`, 'staging'), { recursive: true });
      const second = await startTestServer({ env: { dataDir } });
      try {
        expect(readdirSync(datasets)).toEqual([]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

afterAll(() => {
  console.log(`upload-limits.test.ts: ${attempts} stalled or aborted uploads`);
});
