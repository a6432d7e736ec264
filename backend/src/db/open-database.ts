/**
 * The metadata store: one SQLite file per data dir, WAL so readers never wait on the writer,
 * foreign keys enforced, and a busy timeout so a CLI command and the server can share it.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { workspaceMigrations } from '../workspaces/schema.ts';
import { applyMigrations } from './migrate.ts';
import { coreMigrations } from './migrations.ts';

export const DATABASE_FILE = 'almready.db';

export function openDatabase(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, DATABASE_FILE));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    applyMigrations(db, [...coreMigrations, ...workspaceMigrations]);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
