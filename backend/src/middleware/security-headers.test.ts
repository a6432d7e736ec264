/** HSTS only where it means something: HTTPS, here behind a trusted TLS proxy; framing denied alike in both headers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';

describe('HSTS and framing headers', () => {
  let proxied: TestServer;
  let direct: TestServer;
  beforeAll(async () => {
    proxied = await startTestServer({ env: { trustProxy: true } });
    direct = await startTestServer();
  });
  afterAll(async () => {
    await proxied?.stop();
    await direct?.stop();
  });

  it('sends HSTS on HTTPS behind a trusted proxy, not over plain HTTP, and never on a forged X-Forwarded-Proto', async () => {
    const https = await proxied.request('GET', '/api/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const http = await proxied.request('GET', '/api/health');
    expect(http.headers.get('strict-transport-security')).toBeNull();
    const forged = await direct.request('GET', '/api/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(forged.headers.get('strict-transport-security')).toBeNull();
  });

  it('X-Frame-Options agrees with frame-ancestors, on answers and on errors', async () => {
    for (const res of [await direct.request('GET', '/api/health'), await direct.request('GET', '/API/health'), await direct.request('GET', '/api/workspaces')]) {
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });
});
