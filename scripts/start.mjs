#!/usr/bin/env node
/**
 * `npm start`: builds the web app if it has not been built yet and the backend when its build is
 * missing or older than the sources, then runs the server (`almready serve`, via
 * backend/bin/almready.mjs, from the compiled backend), passing SIGINT/SIGTERM on so shutdown stays graceful.
 * Configuration comes from ALMREADY_* environment variables (see backend/README.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from '../backend/bin/build-state.mjs';
import { buildBackend } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function ensureFrontendBuilt() {
  if (existsSync(join(root, 'frontend', 'dist', 'index.html'))) return;
  if (!existsSync(join(root, 'frontend', 'package.json'))) {
    console.warn('No frontend/ folder: starting the API only (the browser UI will not be available).');
    return;
  }
  console.log('Building the web app (first start only)…');
  const build = spawnSync(npm, ['run', 'build', '-w', 'frontend'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.warn('The web app could not be built (see the output above); starting the API only.'
      + ' Fix the build and run `npm run build`, then reload the page.');
  }
}

async function ensureBackendBuilt() {
  if (buildIsFresh()) return;
  try {
    await buildBackend();
  } catch (error) {
    // The entry falls back to the TypeScript sources (tsx): slower to start, same server.
    console.warn(`The backend could not be compiled (${error instanceof Error ? error.message : String(error)}); starting from the TypeScript sources.`);
  }
}

// `npm run dev`: the server from the TypeScript sources (tsx), nothing compiled.
const dev = process.argv.includes('--dev');
if (dev) process.env.ALMREADY_DEV = '1';
ensureFrontendBuilt();
if (!dev) await ensureBackendBuilt();

// backend/bin/almready.mjs runs the compiled CLI's main() (the sources through tsx when the build is stale).
const server = spawn(process.execPath, [join(root, 'backend', 'bin', 'almready.mjs'), 'serve', ...process.argv.slice(2).filter((arg) => arg !== '--dev')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (server.exitCode === null) server.kill(signal);
  });
}

server.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
server.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});
