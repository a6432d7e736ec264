/**
 * The sandbox worker thread: loads TypeScript and the QuickJS module once, then runs cells one at
 * a time. An `alm` call blocks this thread on Atomics.wait until the server thread (which owns
 * DuckDB and the engine pool) replies on the MessagePort; the wait is bounded by the cell's
 * deadline, so a host that never answers ends the cell as a timeout.
 */
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { TsCellLimits } from '../../config.ts';
import type { FromWorker, HostReply, ToWorker } from './protocol.ts';
import { loadQuickJs, type LoadedModule } from './quickjs-module.ts';
import { runCell, type HostCall } from './run-cell.ts';

if (!parentPort) throw new Error('the ts sandbox worker must run in a worker thread');
const port = parentPort;
const post = (message: FromWorker) => port.postMessage(message);

let loaded: LoadedModule | null = null;
let signal: Int32Array | null = null;
let replies: MessagePort | null = null;
let seq = 0;

async function ensureModule(limits: TsCellLimits): Promise<LoadedModule> {
  if (!loaded || loaded.memoryMb !== limits.memoryMb) loaded = await loadQuickJs(limits.memoryMb);
  return loaded;
}

const hostCallFor = (runId: number): HostCall => (op, payload, deadline) => {
  if (!signal || !replies) throw new Error('the sandbox channel is not initialised');
  const mine = ++seq;
  post({ type: 'host-call', runId, seq: mine, op, payload });
  for (;;) {
    Atomics.store(signal, 0, 0);
    for (let m = receiveMessageOnPort(replies); m; m = receiveMessageOnPort(replies)) {
      const reply = m.message as HostReply;
      if (reply.seq !== mine) continue; // a late reply to a call of an earlier, stopped cell
      if (reply.ok) return { ok: true, value: reply.value };
      return reply.fatal ? { ok: false, message: reply.message, fatal: { kind: reply.fatal, message: reply.message } } : { ok: false, message: reply.message };
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { ok: false, message: 'timeout', fatal: { kind: 'timeout', message: `alm.${op} did not answer before the cell's time limit` } };
    Atomics.wait(signal, 0, 0, remaining);
  }
};

port.on('message', async (message: ToWorker) => {
  if (message.type === 'init') {
    signal = new Int32Array(message.signal);
    replies = message.replies;
    await ensureModule(message.limits);
    // the compiler's lazy parts and QuickJS's first runtime load now, not in the first cell
    runCell(await ensureModule(message.limits), 'export const warm: number = 1;', '{}', message.limits, () => ({ ok: false, message: 'warming up' }));
    post({ type: 'ready' });
    return;
  }
  const module = await ensureModule(message.limits);
  const { result, reload } = runCell(module, message.source, message.inputs, message.limits, hostCallFor(message.runId));
  if (reload) loaded = null; // a fresh module (and memory) for the next cell
  post({ type: 'result', runId: message.runId, result });
});
