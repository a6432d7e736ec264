/**
 * A real server started with workers ahead (ALMREADY_TS_SANDBOXES_READY, ALMREADY_RUN_WORKERS_READY):
 * they are running and idle before any request, and stopping the server stops them.
 */
import { describe, expect, it } from 'vitest';
import { limitsFromEnv } from '../config.ts';
import { startTestServer } from '../testing/server.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { sandboxPoolFor } from './registry.ts';

describe('workers started with the server', () => {
  it('one ts sandbox and one calculation worker wait idle from the start; both stop with the server', async () => {
    const server = await startTestServer({ env: { limits: limitsFromEnv({ ALMREADY_TS_SANDBOXES_READY: '1', ALMREADY_RUN_WORKERS_READY: '1' }) } });
    const pool = sandboxPoolFor(server.deps as WorkspaceDeps);
    try {
      expect(pool.ready).toBe(1);
      expect(pool.idleWorkers()).toBe(1);
      expect(server.deps.jobs?.stats()).toMatchObject({ running: 0, idleWorkers: 1 });
      await pool.whenReady();
      expect(pool.started).toBe(1);
    } finally {
      await server.stop();
    }
    expect(pool.idleWorkers()).toBe(0);
    expect(() => pool.take()).toThrow('the sandbox pool is closed');
  }, 120_000);

  it('a test server starts none unless asked', async () => {
    const server = await startTestServer();
    try {
      expect(sandboxPoolFor(server.deps as WorkspaceDeps).idleWorkers()).toBe(0);
      expect(server.deps.jobs?.stats().idleWorkers).toBe(0);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
