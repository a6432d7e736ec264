// `npm run restore -- <file.tar.gz>`: replaces the data volume's content with a backup made by
// `npm run backup`, then starts the stack. The backend is stopped first; the volume is created
// when it does not exist (a new server, or after `docker-compose down -v`).
import { existsSync, openSync, closeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { compose, usage } from './deploy/compose.mjs';

const file = process.argv[2];
if (!file || process.argv.length > 3) usage('usage: npm run restore -- <file.tar.gz>   (a file written by npm run backup)');
const source = path.resolve(process.cwd(), process.env.INIT_CWD ?? '.', file);
if (!existsSync(source)) usage(`${source}: no such file`);
const list = spawnSync('tar', ['-tzf', source], { encoding: 'utf8', maxBuffer: 1 << 30 });
if (list.status !== 0 || !list.stdout.split('\n').includes('almready.db')) {
  usage(`${source} is not a backup of ALMReady (no almready.db in it); nothing was changed`);
}

const step = async (what, args, options) => {
  const code = await compose(args, options);
  if (code !== 0) {
    console.error(`restore failed while ${what} (exit ${code})`);
    process.exit(1);
  }
};
await step('stopping the backend', ['stop', 'backend']);
const fd = openSync(source, 'r');
// A one-off backend container (same image, same volume, same non-root user) empties the volume and
// unpacks the archive into it; nothing else runs meanwhile.
await step('unpacking the backup into the data volume', ['run', '--rm', '--no-deps', '-T', '--entrypoint', 'sh', 'backend', '-c',
  'set -e; find /data -mindepth 1 -delete; tar -C /data -xzf -'], { stdin: fd });
closeSync(fd);
await step('starting the stack', ['up', '-d']);
console.log(`restored ${source}; the backend runs its start-up checks now (docker-compose ps: healthy)`);
