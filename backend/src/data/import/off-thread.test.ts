import { threadId } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { runOffThread } from './off-thread.ts';
import { workerStart } from '../../runtime-paths.ts';

const entry = workerStart(new URL('./off-thread-fixture.ts', import.meta.url), 'off-thread-fixture');
const heap = { maxOldGenerationSizeMb: 128 };

it('runs the entry in another thread and returns its answer; a crash or a hang rejects, never reaching the caller\'s thread', async () => {
  const answer = await runOffThread<{ threadId: number }>(entry, { mode: 'answer' }, heap);
  expect(answer.threadId).not.toBe(threadId);
  await expect(runOffThread(entry, { mode: 'throw' }, heap)).rejects.toThrow('parser blew up');
  await expect(runOffThread(entry, { mode: 'exit' }, heap)).rejects.toThrow('the import worker stopped before answering (exit code 3)');
  const started = Date.now();
  await expect(runOffThread(entry, { mode: 'hang' }, { ...heap, timeoutMs: 1500 })).rejects.toThrow('reading the file took longer than 2 s and was stopped');
  expect(Date.now() - started).toBeLessThan(10_000);
}, 30_000);
