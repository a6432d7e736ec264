/**
 * `npm run bench:scale` (its own script: the 10,000,000-position step takes minutes): time and
 * peak memory of `almready import` (a CSV becomes a dataset) and `almready calc` (EVE full + NII,
 * base + 6 scenarios, straight from the CSV) at 100,000, 1,000,000 and 10,000,000 positions, run
 * as a user runs them — the compiled CLI in its own process, peak RSS of that process (DuckDB and
 * the worker thread included) from /usr/bin/time. The µs per position column shows whether the
 * cost grows linearly with the book. Targets: calc 100k < 1 s, 1M < 5 s and < 2 GB, import 1M
 * < 3.5 s and < 1 GB, 10M < 30 s and < 8 GB.
 * ALMREADY_SCALE_SIZES=100000,1000000 picks the sizes; ALMREADY_SCALE_DIR the scratch folder
 * (a 10M-row CSV is 1.4 GB).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticCsv } from './data-import.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'backend', 'bin', 'almready.mjs');
const TIME = '/usr/bin/time';
const AS_OF = '2024-12-31';
const sizes = (process.env.ALMREADY_SCALE_SIZES ?? '100000,1000000,10000000').split(',').map(Number);
const env = { ...process.env, ALMREADY_DEV: '' };

// the figures are the compiled CLI's (what `npx almready` runs after `npm ci`)
if (!spawnSync(process.execPath, [bin, '--version'], { cwd: root, env, encoding: 'utf8' }).stdout.includes('(compiled)')) {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the backend build failed');
}

interface Measured { seconds: number; cpuSeconds: number; peakMb: number }

/** One CLI command in its own process: wall time here, CPU and peak RSS from /usr/bin/time. */
function almready(args: string[]): Measured {
  const hasTime = existsSync(TIME);
  const command = hasTime ? TIME : process.execPath;
  const full = hasTime ? ['-f', '%U %S %M', process.execPath, bin, ...args] : [bin, ...args];
  const start = performance.now();
  const run = spawnSync(command, full, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`almready ${args[0]} failed (exit ${run.status}): ${run.stderr.slice(0, 2000)}`);
  const [user, sys, maxKb] = hasTime ? (run.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number) : [NaN, NaN, NaN];
  return { seconds, cpuSeconds: (user ?? NaN) + (sys ?? NaN), peakMb: (maxKb ?? NaN) / 1024 };
}

const row = (cells: string[]) => console.log(`   ${cells[0]!.padEnd(12)}${cells.slice(1).map((c) => c.padStart(11)).join('')}`);
const line = (what: string, n: number, m: Measured) =>
  row([n.toLocaleString('en-US'), what, `${m.seconds.toFixed(2)} s`, `${m.cpuSeconds.toFixed(2)} s`, `${m.peakMb.toFixed(0)} MB`, `${((m.seconds * 1e6) / n).toFixed(2)}`]);

console.log(`   machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
row(['positions', 'step', 'wall', 'cpu', 'peak RSS', 'µs/pos']);
for (const n of sizes) {
  const dir = await mkdtemp(path.join(process.env.ALMREADY_SCALE_DIR ?? os.tmpdir(), 'almready-scale-'));
  try {
    await writeSyntheticCsv(dir, n);
    const file = (name: string) => path.join(dir, name);
    const imported = almready(['import', file('positions.csv'), '--curves', file('curves.csv'), '--schedules', file('schedules.csv'), '--workspace', file('ws'), '--as-of', AS_OF, '--json']);
    line('import', n, imported);
    await rm(file('ws'), { recursive: true, force: true });
    const calc = almready(['calc', '--positions', file('positions.csv'), '--curves', file('curves.csv'), '--schedules', file('schedules.csv'), '--as-of', AS_OF, '--json']);
    line('calc', n, calc);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
