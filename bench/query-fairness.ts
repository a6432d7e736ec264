/**
 * Fairness between users of the query layer: how long one user's one-row `count(*)` takes while
 * another user runs four long cross joins over two of her workspaces. Measured twice in one
 * process: with no server-wide limit (each workspace alone caps itself at 3 connections, as
 * before the fair slots — her four statements then hold all four libuv threads) and with the
 * default fair slots (config.ts: 3 statements at once, 2 per user). Run: `npx tsx bench/query-fairness.ts`.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_QUERY_LIMITS } from '../backend/src/config.ts';
import { WorkspaceQueryService } from '../backend/src/data/query/index.ts';
import type { SlotLimits } from '../backend/src/scheduling/fair-queue.ts';
import { writeDataset } from './data-query.ts';

const ROWS = Number(process.env.FAIRNESS_ROWS ?? 40_000);
const LONG_SQL = 'SELECT count(*) AS n FROM positions a, positions b WHERE a.notional + b.notional < 2000.5';
const SHORT_SQL = 'SELECT count(*) AS n FROM positions';

export interface FairnessFigure { mode: string; shortMs: number; longMs: number }

async function measure(root: string, mode: string, fairness: SlotLimits): Promise<FairnessFigure> {
  const service = new WorkspaceQueryService({ fairness, statementTimeoutMs: 600_000, pageCacheCells: 0 });
  const [a1, a2, b] = ['alice-1', 'alice-2', 'bob'].map((w) => path.join(root, w));
  try {
    // Open every instance and its dataset views first: only the statements are timed.
    for (const [dir, user] of [[a1, 'alice'], [a2, 'alice'], [b, 'bob']] as const) await service.runSql(dir as string, 'd1', SHORT_SQL, { userId: user });
    const started = performance.now();
    const long = [a1, a1, a2, a2].map((dir) => service.runSql(dir as string, 'd1', LONG_SQL, { userId: 'alice' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const t0 = performance.now();
    const short = await service.runSql(b as string, 'd1', SHORT_SQL, { userId: 'bob' });
    const shortMs = performance.now() - t0;
    if (short.rows[0]?.n !== ROWS) throw new Error(`count was ${JSON.stringify(short.rows)}`);
    await Promise.all(long);
    return { mode, shortMs, longMs: performance.now() - started };
  } finally {
    await service.closeAll();
  }
}

export async function benchFairness(): Promise<FairnessFigure[]> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'almready-fairness-'));
  try {
    for (const w of ['alice-1', 'alice-2', 'bob']) await writeDataset(path.join(root, w, 'datasets', 'd1'), ROWS);
    const unlimited = { total: 1_000, perUser: 1_000, queuedPerUser: 1_000 };
    const fair = { total: DEFAULT_QUERY_LIMITS.concurrent, perUser: DEFAULT_QUERY_LIMITS.concurrentPerUser, queuedPerUser: DEFAULT_QUERY_LIMITS.queuedPerUser };
    return [await measure(root, 'no server-wide limit (before)', unlimited), await measure(root, `fair slots (${fair.total} at once, ${fair.perUser} per user)`, fair)];
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`   ${ROWS.toLocaleString('en-US')} positions per workspace; user A: 4 cross joins over 2 workspaces; user B: one count(*)`);
  for (const f of await benchFairness()) {
    console.log(`   ${f.mode.padEnd(40)} B's count(*) ${f.shortMs.toFixed(0).padStart(7)} ms   A's four joins ${(f.longMs / 1000).toFixed(1)} s`);
  }
}
