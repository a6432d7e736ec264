/**
 * `PUT /:wid/members/:username` answered 404 for an unknown name and 200 for a real one, so any
 * user could create a workspace and test a list of names. A share that works reveals the name
 * (that cannot be hidden from an owner); what is bounded is probing: non-owners never reach the
 * lookup, and after MEMBER_LOOKUP_MISSES unknown names every share by that user, known name or
 * not, answers the same 429 for ten minutes. Misses are audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, type Member } from './test-fixtures.ts';
import { MEMBER_LOOKUP_MISSES } from './workspace-routes.ts';

let t: TestServer;
let prober: Member;
let other: Member;
let wid: string;

const share = (who: Member, name: string) => t.request('PUT', `/api/workspaces/${wid}/members/${encodeURIComponent(name)}`, { token: who.token, body: { role: 'view' } });
const members = () => Number(t.deps.db.prepare('SELECT count(*) FROM workspace_members WHERE workspace_id = ?').pluck().get(wid));

beforeAll(async () => {
  t = await startTestServer();
  prober = await member(t, 'pia');
  other = await member(t, 'quinn');
  await member(t, 'target');
  wid = (await t.request('POST', '/api/workspaces', { token: prober.token, body: { name: 'Probe' } })).body.workspace.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('probing user names through sharing', () => {
  it('a non-owner never reaches the lookup: 404 for a stranger, whatever the name', async () => {
    const known = await share(other, 'target');
    const unknown = await share(other, 'nobody-here');
    expect([known.status, unknown.status]).toEqual([404, 404]);
    expect(known.body).toEqual(unknown.body);
    expect(known.body.error.message).toBe('Workspace not found.');
  });

  it(`after ${MEMBER_LOOKUP_MISSES} unknown names, known and unknown names get the same 429; nothing is shared`, async () => {
    const before = members();
    for (let i = 0; i < MEMBER_LOOKUP_MISSES; i += 1) {
      const res = await share(prober, `guess-${i}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('user_not_found');
    }
    const known = await share(prober, 'target');
    const unknown = await share(prober, 'guess-final');
    expect([known.status, unknown.status]).toEqual([429, 429]);
    expect(known.body.error.code).toBe('too_many_attempts');
    expect(known.body.error.message.replace(/\d+/, 'N')).toBe(unknown.body.error.message.replace(/\d+/, 'N'));
    expect(Number(known.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(members()).toBe(before);
    const audited = t.deps.db.prepare("SELECT count(*) FROM audit_events WHERE action = 'member.unknown_user' AND user_id = ?").pluck().get(prober.id);
    expect(audited).toBe(MEMBER_LOOKUP_MISSES);
  });

  it('the brake is per user: another owner still shares by name', async () => {
    const own = (await t.request('POST', '/api/workspaces', { token: other.token, body: { name: 'Quinn' } })).body.workspace.id;
    const res = await t.request('PUT', `/api/workspaces/${own}/members/target`, { token: other.token, body: { role: 'view' } });
    expect(res.status).toBe(200);
    expect(res.body.member).toMatchObject({ username: 'target', role: 'view' });
  });
});
