/**
 * Anyone on the network can make the server write anonymous audit rows (failed and throttled
 * logins). They are capped per address and in total per minute, with one row saying so; events
 * of signed-in users are never dropped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open-database.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { createAuditLog, DEFAULT_AUDIT_LIMITS } from './audit-log.ts';

const ATTEMPTS = 150;

describe('anonymous audit rows over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it(`${ATTEMPTS} failed logins from one address keep at most ${DEFAULT_AUDIT_LIMITS.anonymousPerAddress} anonymous rows and one suppression row`, async () => {
    const anonymous = () => Number(t.deps.db.prepare('SELECT count(*) FROM audit_events WHERE user_id IS NULL').pluck().get());
    // Signed in first: the failures below lock this address for logins.
    const admin = await t.login('admin', t.admin.password);
    const before = anonymous();
    const statuses = new Set<number>();
    for (let i = 0; i < ATTEMPTS; i += 1) {
      const res = await t.request('POST', '/api/auth/login', { body: { username: `ghost${i % 5}`, password: 'not-the-password' } });
      statuses.add(res.status);
    }
    expect([...statuses].sort()).toEqual([401, 429]);
    const written = anonymous() - before;
    expect(written).toBe(DEFAULT_AUDIT_LIMITS.anonymousPerAddress + 1);
    const suppressed = t.deps.db.prepare("SELECT ip, detail_json FROM audit_events WHERE action = 'audit.suppressed'").all() as { ip: string; detail_json: string }[];
    expect(suppressed).toHaveLength(1);
    expect(JSON.parse(suppressed[0]!.detail_json)).toEqual({ reason: 'anonymous events from this address', perMinute: DEFAULT_AUDIT_LIMITS.anonymousPerAddress });
    // A signed-in user's events are still written, and the server still answers.
    await t.request('POST', '/api/workspaces', { token: admin.token, body: { name: 'Still audited' } });
    expect(t.deps.db.prepare("SELECT count(*) FROM audit_events WHERE action = 'workspace.create'").pluck().get()).toBe(1);
  });
});

describe('the audit cap, by the clock', () => {
  it('caps per address and in total per minute, and starts again in the next minute', () => {
    const dir = mkdtempSync(join(tmpdir(), 'almready-audit-'));
    const db = openDatabase(dir);
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const audit = createAuditLog(db, () => new Date(clock), { anonymousPerAddress: 3, anonymousTotal: 5 });
    const count = (where: string) => Number(db.prepare(`SELECT count(*) FROM audit_events WHERE ${where}`).pluck().get());
    for (let i = 0; i < 10; i += 1) audit.record({ action: 'auth.login.failed', ip: '10.0.0.1' });
    expect(count("action = 'auth.login.failed'")).toBe(3);
    for (let i = 0; i < 10; i += 1) audit.record({ action: 'auth.login.failed', ip: `10.0.1.${i}` });
    expect(count("action = 'auth.login.failed'")).toBe(5);
    expect(count("action = 'audit.suppressed'")).toBe(2);
    audit.record({ action: 'workspace.create', userId: 'u1' });
    expect(count("action = 'workspace.create'")).toBe(1);
    clock += 60_000;
    audit.record({ action: 'auth.login.failed', ip: '10.0.0.1' });
    expect(count("action = 'auth.login.failed'")).toBe(6);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
