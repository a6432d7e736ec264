// Runs inside the backend container (scripts/backup.mjs calls it): copies the SQLite database with
// SQLite's online backup API, so the copy is consistent while the server keeps writing, and checks it.
// Usage: node scripts/deploy/backup-db.mjs <source.db> <copy.db>
import Database from 'better-sqlite3';

const [source, target] = process.argv.slice(2);
if (!source || !target) {
  console.error('usage: node scripts/deploy/backup-db.mjs <source.db> <copy.db>');
  process.exit(2);
}
const db = new Database(source, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
await db.backup(target);
db.close();
const copy = new Database(target, { readonly: true });
const check = copy.pragma('integrity_check', { simple: true });
const users = copy.prepare('SELECT count(*) AS n FROM users').get().n;
copy.close();
if (check !== 'ok') {
  console.error(`the database copy fails SQLite's integrity check: ${check}`);
  process.exit(1);
}
console.error(`database copied (integrity ok, ${users} users)`);
