/**
 * One client must not hold the server: requests stalled mid-body count against a per-client cap
 * on requests in flight (429 past it, at once), sockets against a per-address cap (twice that),
 * and the server's request and header timeouts (config.ts) close stalled sockets, which frees
 * the caps again. Bounded loops on 127.0.0.1.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';

const CAP = 4;
const REQUEST_TIMEOUT_MS = 1_500;
const HEADERS_TIMEOUT_MS = 600;

let t: TestServer;

interface Stalled {
  socket: Socket;
  /** Everything the server sent, once it closed the socket. */
  closed: Promise<{ text: string; afterMs: number }>;
}

/** Opens a socket and sends `head` (and no more): a client that stalls. */
function stall(head: string): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(new URL(t.url).port), '127.0.0.1', () => {
      socket.write(head);
      resolve({ socket, closed });
    });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    const closed = new Promise<{ text: string; afterMs: number }>((done) => {
      socket.on('close', () => done({ text: Buffer.concat(chunks).toString(), afterMs: Date.now() - started }));
    });
  });
}

/** A login whose body never finishes arriving: in flight until the request timeout. */
const stalledLogin = () => stall(`POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"username":`);

beforeAll(async () => {
  t = await startTestServer({ env: { maxRequestsPerClient: CAP, requestTimeoutMs: REQUEST_TIMEOUT_MS, headersTimeoutMs: HEADERS_TIMEOUT_MS } });
});

afterAll(async () => {
  await t?.stop();
});

async function inFlightSettled(): Promise<void> {
  // Give the server a moment to see the stalled requests' headers.
  await new Promise((r) => setTimeout(r, 100));
}

describe('per-client cap on requests in flight, and request timeouts', () => {
  it('past the cap a client gets 429 at once; closing one frees a place', async () => {
    const stalled: Stalled[] = [];
    for (let i = 0; i < CAP; i += 1) stalled.push(await stalledLogin());
    await inFlightSettled();
    const refused = [];
    for (let i = 0; i < 10; i += 1) refused.push(await t.request('GET', '/api/health'));
    expect(refused.map((r) => r.status)).toEqual(Array(10).fill(429));
    expect(refused[0]!.body.error).toEqual({ code: 'too_many_requests', message: `This client already has ${CAP} requests in progress (the limit is ${CAP}); wait for one to finish.` });
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    stalled[0]!.socket.destroy();
    await stalled[0]!.closed;
    await inFlightSettled();
    expect((await t.request('GET', '/api/health')).status).toBe(200);
    for (const s of stalled) s.socket.destroy();
    await Promise.all(stalled.map((s) => s.closed));
    await inFlightSettled();
    const after = await Promise.all(Array.from({ length: CAP }, () => t.request('GET', '/api/health')));
    expect(after.map((r) => r.status)).toEqual(Array(CAP).fill(200));
  });

  it('a request whose body stalls is answered 408 and closed after the request timeout, freeing the cap', async () => {
    const stalled: Stalled[] = [];
    for (let i = 0; i < CAP; i += 1) stalled.push(await stalledLogin());
    await inFlightSettled();
    expect((await t.request('GET', '/api/health')).status).toBe(429);
    const ends = await Promise.all(stalled.map((s) => s.closed));
    for (const end of ends) {
      expect(end.text).toMatch(/^HTTP\/1\.1 408/);
      expect(end.afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
      expect(end.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
    }
    await inFlightSettled();
    expect((await t.request('GET', '/api/health')).status).toBe(200);
    expect(t.deps.db.prepare('SELECT count(*) FROM auth_sessions').pluck().get()).toBe(0);
  });

  it('headers that never finish are cut after the headers timeout', async () => {
    const slow = await stall('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const end = await slow.closed;
    expect(end.text).toMatch(/^HTTP\/1\.1 408/);
    expect(end.afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(end.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 1_000);
    expect((await t.request('GET', '/api/health')).status).toBe(200);
  });

  it(`sockets that send nothing: at most ${2 * CAP} from one address stay open, the rest are closed at once, before any byte`, async () => {
    const opened: Stalled[] = [];
    for (let i = 0; i < 3 * CAP; i += 1) opened.push(await stall(''));
    await new Promise((r) => setTimeout(r, 150));
    const settled = await Promise.all(opened.map((s) => Promise.race([s.closed, new Promise<null>((r) => setTimeout(() => r(null), 10))])));
    const cutAtOnce = settled.filter((end) => end !== null && end.text === '' && end.afterMs < HEADERS_TIMEOUT_MS);
    const stillOpen = settled.filter((end) => end === null).length;
    // The test client's own keep-alive sockets count too, so at most 2 × CAP of these stay open.
    expect(stillOpen).toBeLessThanOrEqual(2 * CAP);
    expect(cutAtOnce.length).toBeGreaterThanOrEqual(CAP);
    expect(stillOpen + cutAtOnce.length).toBe(3 * CAP);
    // The ones let in are cut by the headers timeout; then the address may connect again.
    await Promise.all(opened.map((s) => s.closed));
    await inFlightSettled();
    expect((await t.request('GET', '/api/health')).status).toBe(200);
  });
});
