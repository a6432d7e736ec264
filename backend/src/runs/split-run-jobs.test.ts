/**
 * runSplit's handling of its jobs, on a pool stand-in that answers as scripted: a failing part
 * fails the run with the part's message and stops its sibling, the merge is never asked for;
 * a stopped run submits nothing more.
 */
import { describe, expect, it } from 'vitest';
import { syntheticBalanceSheet } from '@almready/engine';
import { runRequestSchema, toRunSettings } from './settings.ts';
import { shareDataset } from './shared-dataset.ts';
import { RunFailed, RunJobs, RunStopped, runSplit, type JobSubmitter } from './split-run.ts';
import type { PoolJob } from './worker-pool.ts';

const dataset = shareDataset({ ...syntheticBalanceSheet({ positions: 2_000, asOf: '2025-06-30', seed: 5 }), asOf: '2025-06-30' });
const settings = toRunSettings(runRequestSchema.parse({ datasetId: '00000000-0000-4000-8000-000000000000' }));

class ScriptedPool implements JobSubmitter {
  readonly submitted: PoolJob[] = [];
  readonly cancelled: string[] = [];
  submit(job: PoolJob): void {
    this.submitted.push(job);
    job.onStart();
  }
  cancel(id: string): void {
    this.cancelled.push(id);
  }
}

describe('runSplit', () => {
  it('cuts the book into parts of equal work; a failing part fails the run with its message and stops the other part', async () => {
    const pool = new ScriptedPool();
    let started = 0;
    const jobs = new RunJobs(pool, 'r1', 'u1', { onStart: () => (started += 1) });
    const outcome = runSplit(jobs, dataset, settings, { parts: 2, outDir: '/nowhere' });
    expect(pool.submitted.map((j) => j.id)).toEqual(['r1:part-0', 'r1:part-1']);
    expect(started).toBe(1);
    const [first, second] = pool.submitted.map((j) => j.request) as { from: number; to: number }[];
    expect(first!.from).toBe(0);
    expect(first!.to).toBe(second!.from);
    expect(second!.to).toBe(2_000);
    expect(pool.submitted.every((j) => j.nativeAtStart === false)).toBe(true);
    void pool.submitted[1]!.onMessage({ type: 'failed', message: 'The analysis cannot run: position P-7 cannot be valued' });
    await expect(outcome).rejects.toThrow(new RunFailed('The analysis cannot run: position P-7 cannot be valued'));
    expect(pool.cancelled).toEqual(['r1:part-0']);
    // a late answer of the stopped part changes nothing, and no merge is asked for
    void pool.submitted[0]!.onMessage({ type: 'progress', phase: 'eve', fraction: 1 });
    expect(pool.submitted).toHaveLength(2);
  });

  it('a run of one part is one `whole` job; a crash is reported as such', async () => {
    const pool = new ScriptedPool();
    const outcome = runSplit(new RunJobs(pool, 'r2', 'u1'), dataset, settings, { parts: 1 });
    expect(pool.submitted.map((j) => j.id)).toEqual(['r2:whole']);
    pool.submitted[0]!.onExit(new Error('worker exited with code 1'));
    await expect(outcome).rejects.toThrow('The calculation stopped unexpectedly: worker exited with code 1');
  });

  it('a stopped run cancels its jobs and submits no more', async () => {
    const pool = new ScriptedPool();
    const jobs = new RunJobs(pool, 'r3', 'u1');
    const outcome = runSplit(jobs, dataset, settings, { parts: 2 });
    jobs.stop(new RunStopped('cancelled'));
    await expect(outcome).rejects.toBeInstanceOf(RunStopped);
    expect(pool.cancelled.sort()).toEqual(['r3:part-0', 'r3:part-1']);
    await expect(jobs.job('merge', { type: 'load', runId: 'r3', datasetDir: '/x' }, 'loaded')).rejects.toBeInstanceOf(RunStopped);
    expect(pool.submitted).toHaveLength(2);
  });

  it('with holdSlots, a stage\'s last job keeps its slot until the next stage is queued (ahead of the user\'s other jobs), the last until release()', async () => {
    const pool = new ScriptedPool();
    const jobs = new RunJobs(pool, 'r4', 'u1', { holdSlots: true });
    const outcome = runSplit(jobs, dataset, settings, { parts: 2 });
    expect(pool.submitted.map((j) => j.continues)).toEqual([false, true]);
    const partial = { from: 0, to: 0, eveByGroup: [], eveByBucket: [], niiByGroup: [], niiProfile: [], gap: new Float64Array(0) };
    // the first part to finish gives its slot back at once: its sibling still computes
    expect(pool.submitted[1]!.onMessage({ type: 'partial', partial: { ...partial, from: 1000, to: 2000 } })).toBeUndefined();
    let released = false;
    const held = pool.submitted[0]!.onMessage({ type: 'partial', partial: { ...partial, to: 1000 } });
    expect(held).toBeInstanceOf(Promise);
    void (held as Promise<void>).then(() => (released = true));
    await new Promise((r) => setTimeout(r, 10));
    // the merge was queued first, then the slot went
    expect(pool.submitted.map((j) => j.id)).toEqual(['r4:part-0', 'r4:part-1', 'r4:merge']);
    expect(pool.submitted[2]!.continues).toBe(true);
    expect(released).toBe(true);
    const summary = { positions: 2000 } as never;
    const last = pool.submitted[2]!.onMessage({ type: 'done', summary });
    await expect(outcome).resolves.toMatchObject({ summary });
    let done = false;
    void (last as Promise<void>).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    jobs.release();
    await new Promise((r) => setTimeout(r, 0));
    expect(done).toBe(true);
  });
});
