/**
 * Ends every credential a user holds: all browser sessions are deleted and the token version
 * is bumped so outstanding Bearer tokens fail their next request. Synchronous so it can share
 * a transaction with the change that caused it (disable, password reset).
 */
import type Database from 'better-sqlite3';

export function revokeCredentials(db: Database.Database, userId: string): void {
  db.prepare('UPDATE users SET token_version = token_version + 1 WHERE id = ?').run(userId);
  db.prepare('DELETE FROM auth_sessions WHERE user_id = ?').run(userId);
}
