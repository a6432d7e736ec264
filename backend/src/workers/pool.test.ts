/**
 * The general worker pool on real worker threads: two job kinds side by side (each on its own
 * warm workers), cancelling a running and a queued job, a crashing job failing alone while the
 * pool replaces its worker, and the per-user limit letting another user's job go first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { workerStart } from '../runtime-paths.ts';
import { JobPool, type JobKind } from './pool.ts';

type EchoMessage = { type: 'progress' | 'done'; value?: string; threadId: number };
type SumMessage = { type: 'result'; sum: number; threadId: number };

const ECHO: JobKind<EchoMessage> = { name: 'echo', start: workerStart(new URL('./test-echo-worker.ts', import.meta.url), 'test-echo-worker'), isFinal: (m) => m.type === 'done' };
const SUM: JobKind<SumMessage> = { name: 'sum', start: workerStart(new URL('./test-sum-worker.ts', import.meta.url), 'test-sum-worker'), isFinal: (m) => m.type === 'result' };

let pool: JobPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

interface Outcome { started: number; threads: number[]; final?: { type: string; [k: string]: unknown }; exit?: Error | null }

function submit(p: JobPool, id: string, userId: string, kind: string, request: unknown, log: string[] = []): { outcome: Outcome; settled: Promise<Outcome> } {
  const outcome: Outcome = { started: 0, threads: [] };
  let resolve: (o: Outcome) => void = () => {};
  const settled = new Promise<Outcome>((r) => (resolve = r));
  p.submit({
    id, userId, kind, request,
    onStart: () => { outcome.started = Date.now(); log.push(`start ${id}`); },
    onMessage: (message: { type: string; threadId?: number }) => {
      if (message.threadId !== undefined) outcome.threads.push(message.threadId);
      if (message.type === 'done' || message.type === 'result') {
        outcome.final = message;
        log.push(`end ${id}`);
        resolve(outcome);
      }
    },
    onExit: (error) => { outcome.exit = error; log.push(`exit ${id}`); resolve(outcome); },
  });
  return { outcome, settled };
}

const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))]);

describe('the general worker pool', () => {
  it('runs two job kinds on one pool, each kind on its own reused worker', async () => {
    pool = new JobPool({ size: 2, perUser: 2 });
    pool.registerKind(ECHO);
    pool.registerKind(SUM);
    expect(() => pool!.registerKind(ECHO)).toThrow('already registered');
    expect(() => pool!.submit({ id: 'x', userId: 'u', kind: 'ts-cell', request: {}, onStart() {}, onMessage() {}, onExit() {} })).toThrow('no job kind "ts-cell"');
    const [echo, sum] = await within(Promise.all([submit(pool, 'e1', 'u', 'echo', { value: 'hello' }).settled, submit(pool, 's1', 'u', 'sum', { numbers: [1, 2, 39] }).settled]), 30_000);
    expect(echo.final).toMatchObject({ type: 'done', value: 'hello' });
    expect(sum.final).toMatchObject({ type: 'result', sum: 42 });
    expect(echo.final!.threadId).not.toBe(sum.final!.threadId);
    // The next job of each kind reuses its kind's warm worker.
    const [echo2, sum2] = await within(Promise.all([submit(pool, 'e2', 'u', 'echo', { value: 'again' }).settled, submit(pool, 's2', 'u', 'sum', { numbers: [5] }).settled]), 30_000);
    expect(echo2.final).toMatchObject({ value: 'again', threadId: echo.final!.threadId });
    expect(sum2.final).toMatchObject({ sum: 5, threadId: sum.final!.threadId });
    expect(pool.stats()).toEqual({ running: 0, queued: 0, idleWorkers: 2 });
  }, 60_000);

  it('prewarm starts idle workers of a kind ahead, within the size; the first job runs on one of them', async () => {
    pool = new JobPool({ size: 2, perUser: 2 });
    pool.registerKind(ECHO);
    expect(() => pool!.prewarm('sum', 1)).toThrow('no job kind "sum"');
    pool.prewarm('echo', 5);
    expect(pool.stats()).toEqual({ running: 0, queued: 0, idleWorkers: 2 });
    pool.prewarm('echo', 1); // already warm: nothing more starts
    expect(pool.stats().idleWorkers).toBe(2);
    const first = await within(submit(pool, 'e1', 'u', 'echo', { value: 'warm' }).settled, 30_000);
    expect(first.final).toMatchObject({ type: 'done', value: 'warm' });
    // the job took a prewarmed worker instead of starting a third
    expect(pool.stats()).toEqual({ running: 0, queued: 0, idleWorkers: 2 });
  }, 60_000);

  it('cancels a running job (its worker stops) and a queued one (it never starts); the next job runs', async () => {
    pool = new JobPool({ size: 1, perUser: 1 });
    pool.registerKind(ECHO);
    const log: string[] = [];
    const long = submit(pool, 'long', 'u', 'echo', { value: 'never', delayMs: 60_000 }, log);
    const queued = submit(pool, 'queued', 'u', 'echo', { value: 'never either' }, log);
    expect(pool.stats()).toMatchObject({ running: 1, queued: 1 });
    expect(pool.cancel('queued')).toBe('queued');
    expect(pool.cancel('long')).toBe('running');
    expect(pool.cancel('long')).toBeUndefined();
    const next = await within(submit(pool, 'next', 'u', 'echo', { value: 'fine' }, log).settled, 30_000);
    expect(next.final).toMatchObject({ value: 'fine' });
    expect(long.outcome.final).toBeUndefined();
    expect(queued.outcome.started).toBe(0);
    expect(log).toEqual(['start long', 'start next', 'end next']);
  }, 60_000);

  it('a crashing job fails alone; its worker is replaced and the other job finishes', async () => {
    pool = new JobPool({ size: 2, perUser: 2 });
    pool.registerKind(ECHO);
    const first = await within(submit(pool, 'warm', 'u', 'echo', { value: 'warm' }).settled, 30_000);
    const crash = submit(pool, 'crash', 'u', 'echo', { value: 'boom', delayMs: 200, crash: true });
    const other = submit(pool, 'other', 'v', 'echo', { value: 'survivor', delayMs: 600 });
    const crashed = await within(crash.settled, 30_000);
    expect(crashed.final).toBeUndefined();
    expect(crashed.exit?.message).toContain('echo worker crashed on boom');
    expect((await within(other.settled, 30_000)).final).toMatchObject({ value: 'survivor' });
    const after = await within(submit(pool, 'after', 'u', 'echo', { value: 'still here' }).settled, 30_000);
    expect(after.final).toMatchObject({ value: 'still here' });
    // The crash ran on the warm worker of the first job; that worker is gone, a new one took over.
    expect(crashed.threads).toEqual([first.final!.threadId]);
    expect(after.final!.threadId).not.toBe(first.final!.threadId);
    expect(pool.stats()).toMatchObject({ running: 0, queued: 0 });
  }, 60_000);

  it('a user at their limit waits while another user\'s job starts', async () => {
    pool = new JobPool({ size: 2, perUser: 1 });
    pool.registerKind(ECHO);
    const log: string[] = [];
    const u1 = submit(pool, 'u1', 'u', 'echo', { value: 'a', delayMs: 800 }, log);
    const u2 = submit(pool, 'u2', 'u', 'echo', { value: 'b' }, log);
    const v1 = submit(pool, 'v1', 'v', 'echo', { value: 'c' }, log);
    expect(log).toEqual(['start u1', 'start v1']);
    expect(pool.waiting('u')).toBe(1);
    await within(Promise.all([u1.settled, u2.settled, v1.settled]), 30_000);
    // u2 started only after u1 ended, although a worker was free once v1 ended.
    expect(log.indexOf('start u2')).toBeGreaterThan(log.indexOf('end u1'));
    expect(log.indexOf('end v1')).toBeLessThan(log.indexOf('start u2'));
  }, 60_000);
});
