import { it, expect } from 'vitest';
import { startTestServer } from '../testing/server.ts';
it('smoke', async () => {
  const t = await startTestServer();
  await t.createUser('alice', 'alice-password-1');
  const { token } = await t.login('alice', 'alice-password-1');
  const res = await t.request('POST', '/api/workspaces', { token, body: { name: 'ALM' } });
  console.log(res.status, res.body);
  const wid = res.body.workspace.id;
  const nb = await t.request('POST', `/api/workspaces/${wid}/notebooks`, { token, body: { name: 'N' } });
  console.log(nb.status, JSON.stringify(nb.body));
  const l = await t.request('GET', `/api/workspaces`, { token });
  console.log(l.status, JSON.stringify(l.body));
  const bad = await t.request('GET', `/api/workspaces/xyz`, { token });
  console.log(bad.status, JSON.stringify(bad.body));
  await t.stop();
});
