// How the operator scripts call Docker Compose: ALMREADY_COMPOSE when set (e.g. "docker compose"),
// else docker-compose when installed, else the `docker compose` plugin. Run from the repository
// root, so .env (COMPOSE_PROJECT_NAME, settings) applies as it does for the operator's own commands.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export function composeCommand(env = process.env) {
  if (env.ALMREADY_COMPOSE) return env.ALMREADY_COMPOSE.split(/\s+/).filter(Boolean);
  const v1 = spawnSync('docker-compose', ['version'], { stdio: 'ignore' });
  return v1.status === 0 ? ['docker-compose'] : ['docker', 'compose'];
}

/** Runs compose with args; stdin/stdout may be file descriptors or 'inherit'. Resolves the exit code. */
export function compose(args, { stdin = 'inherit', stdout = 'inherit' } = {}) {
  const [cmd, ...pre] = composeCommand();
  return new Promise((done, fail) => {
    const child = spawn(cmd, [...pre, ...args], { cwd: root, stdio: [stdin, stdout, 'inherit'] });
    child.once('error', (error) => fail(new Error(`cannot run ${cmd}: ${error.message}`)));
    child.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

export function usage(text) {
  console.error(text);
  process.exit(2);
}
