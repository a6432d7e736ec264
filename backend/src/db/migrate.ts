/**
 * Applies ordered migrations once each, every one in its own transaction, recording its id.
 * A failed migration rolls back alone and stops start-up with the migration's id in the message.
 */
import type Database from 'better-sqlite3';
import type { Migration } from '../workspaces/schema.ts';

export function applyMigrations(db: Database.Database, migrations: readonly Migration[], now: () => Date = () => new Date()): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`);
  const seen = new Set<string>();
  for (const migration of migrations) {
    if (seen.has(migration.id)) throw new Error(`Migration id "${migration.id}" is listed twice.`);
    seen.add(migration.id);
  }
  const applied = new Set(
    db.prepare('SELECT id FROM schema_migrations').all().map((row) => String((row as { id: unknown }).id)),
  );
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  const newlyApplied: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    const apply = db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, now().toISOString());
    });
    try {
      apply();
    } catch (error) {
      throw new Error(`Database migration "${migration.id}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    newlyApplied.push(migration.id);
  }
  return newlyApplied;
}
