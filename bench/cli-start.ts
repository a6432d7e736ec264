/**
 * Start-up figures of the `almready` command: `--help` from the compiled build (target < 0.3 s),
 * the same through `npx` (npm's own start included) and from the TypeScript sources (tsx), and
 * `almready serve` until it listens. Wall time is the median of several runs; CPU (user + sys,
 * from /usr/bin/time where present) is steadier on a shared machine. Run: `npx tsx bench/cli-start.ts`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'backend', 'bin', 'almready.mjs');
const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const line = (label: string, value: string) => console.log(`   ${label.padEnd(70)}${value}`);

const sourcesEnv = { ...process.env, ALMREADY_DEV: '1' };
const compiledEnv = { ...process.env, ALMREADY_DEV: '' };

// `npm ci` builds; build again when the sources changed since, as `npm start` does.
if (!spawnSync(process.execPath, [bin, '--version'], { cwd: root, env: compiledEnv, encoding: 'utf8' }).stdout.includes('(compiled)')) {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the backend build failed');
}

/** Wall seconds and CPU seconds (user + sys, NaN without /usr/bin/time) of one command. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): { wall: number; cpu: number } {
  const t = performance.now();
  const run = hasTime
    ? spawnSync(TIME, ['-f', '%U %S', command, ...args], { cwd: root, env, encoding: 'utf8' })
    : spawnSync(command, args, { cwd: root, env, encoding: 'utf8' });
  const wall = (performance.now() - t) / 1000;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
  const cpuLine = hasTime ? run.stderr.trim().split('\n').at(-1) ?? '' : '';
  const [user, sys] = cpuLine.split(' ').map(Number);
  return { wall, cpu: hasTime ? (user ?? NaN) + (sys ?? NaN) : NaN };
}

function figure(label: string, runs: number, command: string, args: string[], env: NodeJS.ProcessEnv, target?: number): boolean {
  const samples = Array.from({ length: runs }, () => timed(command, args, env));
  const wall = median(samples.map((s) => s.wall));
  const cpu = median(samples.map((s) => s.cpu));
  const verdict = target === undefined ? '' : wall < target ? '  ok' : `  OVER the ${target} s target`;
  line(`${label} (median of ${runs})`, `${wall.toFixed(2)} s wall, ${hasTime ? `${cpu.toFixed(2)} s CPU` : 'CPU n/a'}${verdict}`);
  return target === undefined || wall < target;
}

/** Seconds from spawning `almready serve` (fresh data folder, no demo) to "ALMReady is running at". */
function serveOnce(env: NodeJS.ProcessEnv): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'almready-bench-serve-'));
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-demo'], {
    cwd: root,
    env: { ...env, ALMREADY_DATA_DIR: dataDir, ALMREADY_ADMIN_PASSWORD: 'bench-password-1', ALMREADY_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise<number>((resolve, reject) => {
    let text = '';
    let seconds: number | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (seconds === null && text.includes('ALMReady is running at')) {
        seconds = (performance.now() - started) / 1000;
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      if (seconds === null) reject(new Error(`almready serve exited (${code}) before listening: ${text}`));
      else resolve(seconds);
    });
  });
}

async function serveFigure(label: string, env: NodeJS.ProcessEnv): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) samples.push(await serveOnce(env));
  line(`${label} (median of 3)`, `${median(samples).toFixed(2)} s`);
}

const ok = figure('almready --help, compiled (node entry)', 7, process.execPath, [bin, '--help'], compiledEnv, 0.3);
figure('npx almready --help, compiled (npm\'s start included)', 5, 'npx', ['almready', '--help'], compiledEnv);
figure('almready --help, TypeScript sources (tsx)', 3, process.execPath, [bin, '--help'], sourcesEnv);
await serveFigure('almready serve to listening, compiled', compiledEnv);
await serveFigure('almready serve to listening, TypeScript sources', sourcesEnv);
process.exit(ok ? 0 : 1);
