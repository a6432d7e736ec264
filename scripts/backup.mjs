// `npm run backup -- <file.tar.gz>`: a consistent copy of the running stack's data volume.
// SQLite is copied with its online backup API inside the backend container (the server keeps
// running and writing); then every other file of the volume (datasets, run results, notebooks,
// the JWT secret) is archived with it. Writers create files before rows and delete rows before
// files, so what a concurrent change can add is only files the copied database does not know yet,
// which the server's start-up recovery removes after a restore.
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { compose, usage } from './deploy/compose.mjs';

const file = process.argv[2];
if (!file || process.argv.length > 3) usage('usage: npm run backup -- <file.tar.gz>   (the stack must be up: docker-compose up -d)');
const target = path.resolve(process.cwd(), process.env.INIT_CWD ?? '.', file);
if (existsSync(target)) usage(`${target} exists already; choose a new file name (a backup never overwrites one)`);

const script = [
  'set -e',
  'stage=$(mktemp -d)',
  'trap \'rm -rf "$stage"\' EXIT',
  'node scripts/deploy/backup-db.mjs /data/almready.db "$stage/almready.db" >&2',
  // Exit status 1 of GNU tar: a file changed while it was read (an upload in progress); 2+ is an error.
  'tar -C /data --exclude=./almready.db --exclude=./almready.db-wal --exclude=./almready.db-shm -czf - . -C "$stage" almready.db || [ $? -eq 1 ]',
].join('\n');
const part = `${target}.part`;
const fd = openSync(part, 'w', 0o600);
const code = await compose(['exec', '-T', 'backend', 'sh', '-c', script], { stdout: fd });
closeSync(fd);
if (code !== 0) {
  rmSync(part, { force: true });
  console.error(`backup failed (exit ${code}); nothing was written. Is the backend running (docker-compose ps)?`);
  process.exit(1);
}
const list = spawnSync('tar', ['-tzf', part], { encoding: 'utf8', maxBuffer: 1 << 30 });
if (list.status !== 0 || !list.stdout.split('\n').includes('almready.db')) {
  rmSync(part, { force: true });
  console.error(`backup failed: the archive does not read back with the database in it${list.stderr ? `: ${list.stderr.trim()}` : ''}`);
  process.exit(1);
}
renameSync(part, target);
console.log(`backup written: ${target} (${statSync(target).size} bytes, ${list.stdout.trim().split('\n').length} entries)`);
