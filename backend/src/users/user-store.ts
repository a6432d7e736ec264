/**
 * Users in SQLite. Expected failures (name taken, last admin) come back as values with a
 * sentence for the person at the keyboard; the HTTP routes and the CLI both use this module.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { statement } from '../db/statements.ts';
import type { AuthUser } from '../app-deps.ts';
import { hashPassword } from '../auth/passwords.ts';
import { revokeCredentials } from '../auth/revoke.ts';

export type Role = AuthUser['role'];

export interface UserRecord {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  tokenVersion: number;
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

/** What the API shows of a user (never the hash or token version). */
export interface PublicUser {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export type UserResult = { ok: true; user: UserRecord } | { ok: false; code: 'username_taken' | 'not_found' | 'last_admin'; message: string };

interface UserRow {
  id: string;
  username: string;
  role: string;
  disabled: number;
  token_version: number;
  password_hash: string;
  created_at: string;
  updated_at: string;
}

function toRecord(row: UserRow | undefined): UserRecord | null {
  if (!row) return null;
  return {
    id: row.id,
    username: row.username,
    role: row.role === 'admin' ? 'admin' : 'member',
    disabled: row.disabled === 1,
    tokenVersion: row.token_version,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toPublicUser(user: UserRecord): PublicUser {
  return { id: user.id, username: user.username, role: user.role, disabled: user.disabled, createdAt: user.createdAt };
}

export function toAuthUser(user: UserRecord): AuthUser {
  return { id: user.id, username: user.username, role: user.role };
}

export function findUserById(db: Database.Database, id: string): UserRecord | null {
  return toRecord(statement(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined);
}

export function findUserByUsername(db: Database.Database, username: string): UserRecord | null {
  return toRecord(statement(db, 'SELECT * FROM users WHERE username = ?').get(username.trim().toLowerCase()) as UserRow | undefined);
}

export function listUsers(db: Database.Database): UserRecord[] {
  return (db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map((row) => toRecord(row)!);
}

export function countUsers(db: Database.Database): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
}

/** `username` must already be validated (users/user-schema.ts); it is stored lower-case. */
export async function createUser(
  db: Database.Database,
  input: { username: string; password: string; role: Role },
  now: () => Date = () => new Date(),
): Promise<UserResult> {
  const username = input.username.trim().toLowerCase();
  if (findUserByUsername(db, username)) return taken(username);
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  const at = now().toISOString();
  try {
    db.prepare(`INSERT INTO users (id, username, password_hash, role, disabled, token_version, created_at, updated_at)
      VALUES (?, ?, ?, ?, 0, 1, ?, ?)`).run(id, username, passwordHash, input.role, at, at);
  } catch (error) {
    // Two concurrent creations of one name: the UNIQUE constraint decides.
    if (error instanceof Error && /UNIQUE/.test(error.message)) return taken(username);
    throw error;
  }
  return { ok: true, user: findUserById(db, id)! };
}

function taken(username: string): UserResult {
  return { ok: false, code: 'username_taken', message: `The username "${username}" is already taken.` };
}

/** Role, disabled flag and password; disabling or a new password revokes sessions and tokens. */
export async function updateUser(
  db: Database.Database,
  id: string,
  change: { role?: Role; disabled?: boolean; password?: string },
  now: () => Date = () => new Date(),
): Promise<UserResult> {
  const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
  const apply = db.transaction((): UserResult => {
    const user = findUserById(db, id);
    if (!user) return { ok: false, code: 'not_found', message: 'No such user.' };
    const losesAdmin = user.role === 'admin' && !user.disabled && (change.role === 'member' || change.disabled === true);
    if (losesAdmin && activeAdminCount(db) <= 1) {
      return { ok: false, code: 'last_admin', message: 'This is the last active admin; make another user admin first.' };
    }
    const role = change.role ?? user.role;
    const disabled = change.disabled ?? user.disabled;
    db.prepare('UPDATE users SET role = ?, disabled = ?, password_hash = ?, updated_at = ? WHERE id = ?')
      .run(role, disabled ? 1 : 0, passwordHash ?? user.passwordHash, now().toISOString(), id);
    if (passwordHash !== undefined || (disabled && !user.disabled)) revokeCredentials(db, id);
    return { ok: true, user: findUserById(db, id)! };
  });
  return apply();
}

function activeAdminCount(db: Database.Database): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
}
