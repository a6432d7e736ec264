import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/server.ts';
import type { CliContext } from './main.ts';
import { registerUsers } from './users.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'almready-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const context: CliContext = { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, exitCode: 0 };
  const program = new Command('almready').exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerUsers(program, context);
  try {
    await program.parseAsync(['node', 'almready', ...args, '--data-dir', dataDir]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { code: 2, out: out.join('\n'), err: err.join('\n') };
  }
  return { code: context.exitCode, out: out.join('\n'), err: err.join('\n') };
}

describe('almready users', () => {
  it('adds users with a given or a generated password, refuses bad input and duplicates', async () => {
    const root = await cli('users', 'add', 'root', '--role', 'admin', '--password', 'root-password-1');
    expect(root).toEqual({ code: 0, out: 'Created admin "root".', err: '' });
    const kim = await cli('users', 'add', 'Kim');
    expect(kim.code).toBe(0);
    expect(kim.out).toMatch(/^Created member "kim"\.\nPassword \(shown once\): [A-Za-z0-9]{20}$/);
    expect(await cli('users', 'add', 'kim')).toMatchObject({ code: 1, err: 'The username "kim" is already taken.' });
    expect(await cli('users', 'add', 'x y')).toMatchObject({ code: 1 });
    expect((await cli('users', 'add', 'lee', '--password', 'short')).err).toBe('The password must be at least 10 characters long.');
    expect((await cli('users', 'add', 'lee', '--role', 'owner')).err).toBe('Invalid --role "owner": must be admin or member.');
  });

  it('lists, disables and resets passwords; the server honours all of it', async () => {
    await cli('users', 'add', 'lou', '--password', 'lou-password-1');
    await cli('users', 'add', 'max', '--password', 'max-password-1');
    expect((await cli('users', 'disable', 'lou')).out).toBe('Disabled "lou"; their sessions and tokens no longer work.');
    const reset = await cli('users', 'reset-password', 'max');
    const newPassword = /shown once\): (\S+)$/.exec(reset.out)?.[1] ?? '';
    expect(newPassword).toHaveLength(20);
    const list = await cli('users', 'list');
    const lines = list.out.split('\n');
    expect(lines[0]).toMatch(/^username\s+role\s+status\s+created$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'kim member active', 'lou member disabled', 'max member active', 'root admin active',
    ]);
    expect((await cli('users', 'disable', 'nobody'))).toMatchObject({ code: 1, err: 'No user named "nobody".' });

    const t = await startTestServer({ env: { dataDir } });
    try {
      expect(t.printed.some((line) => line.startsWith('Admin login'))).toBe(false); // an admin already exists
      expect((await t.login('root', 'root-password-1')).user.role).toBe('admin');
      expect((await t.request('POST', '/api/auth/login', { body: { username: 'lou', password: 'lou-password-1' } })).status).toBe(403);
      expect((await t.request('POST', '/api/auth/login', { body: { username: 'max', password: 'max-password-1' } })).status).toBe(401);
      expect((await t.login('max', newPassword)).user.username).toBe('max');
      const audit = t.deps.audit.list({ limit: 50 }).map((e) => e.action);
      expect(audit.filter((a) => a === 'user.create')).toHaveLength(4);
      expect(audit.filter((a) => a === 'user.update')).toHaveLength(2);
    } finally {
      await t.stop();
    }
  });
});
