/**
 * What every browser test needs: the SPA built from its current sources, and Debian's Chromium
 * started headless. The browser test files run in parallel, so a stale build is rebuilt by one of
 * them while the others wait for it (a lock folder), never by several at once into one folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..');
export const DIST = resolve(ROOT, 'frontend/dist');
export const SHOTS = resolve(ROOT, '.tmp');
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const LOCK = resolve(SHOTS, 'spa-build.lock');
/** A lock older than this was left by a killed test run. */
const STALE_LOCK_MS = 10 * 60_000;

/** The SPA's sources, including the packages it bundles (contracts, notebooks and the TS cell API). */
const SOURCES = ['frontend/src', 'frontend/public', 'frontend/index.html', 'frontend/vite.config.ts', 'contracts/src', 'notebooks/src', 'notebooks/alm.d.ts'];

function newestSource(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

function distIsStale(): boolean {
  const index = resolve(DIST, 'index.html');
  if (!existsSync(index)) return true;
  return Math.max(...SOURCES.map((p) => newestSource(resolve(ROOT, p)))) > statSync(index).mtimeMs;
}

/** Builds `frontend/dist` when it is missing or older than its sources; one builder at a time. */
export async function ensureSpaBuilt(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (;;) {
    if (!distIsStale()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await sleep(500);
      continue;
    }
    try {
      if (!distIsStale()) return;
      // NODE_ENV=production whatever the caller's (vitest sets "test", which makes Vite bundle React's
      // development build: jsxDEV, StrictMode's doubled effects and requests, a larger and slower app)
      const build = spawnSync('npm', ['run', 'build', '-w', 'frontend'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
      if (build.status !== 0) throw new Error(`frontend build failed:\n${build.stdout}\n${build.stderr}`);
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it with "apt-get install -y chromium"`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
