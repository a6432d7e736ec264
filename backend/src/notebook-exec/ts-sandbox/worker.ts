/**
 * The sandbox worker thread: loads TypeScript and compiles the QuickJS wasm once, then runs cells
 * one at a time, each in a new QuickJS instance over a new memory (prepared while the worker
 * waits, so a cell does not wait for it): a worker handed from one execution to the next keeps
 * nothing of the cells it ran. An `alm` call blocks this thread on Atomics.wait until the server
 * thread (which owns DuckDB and the engine pool) replies on the MessagePort; the wait is bounded
 * by the cell's deadline, so a host that never answers ends the cell as a timeout.
 */
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { TsCellLimits } from '../../config.ts';
import type { FromWorker, HostReply, ToWorker } from './protocol.ts';
import { loadQuickJs, type LoadedModule } from './quickjs-module.ts';
import { runCell, type HostCall } from './run-cell.ts';

if (!parentPort) throw new Error('the ts sandbox worker must run in a worker thread');
const port = parentPort;
const post = (message: FromWorker) => port.postMessage(message);

/** the instance the next cell runs in: never used by any cell */
let next: { memoryMb: number; loaded: Promise<LoadedModule> } | null = null;
let signal: Int32Array | null = null;
let replies: MessagePort | null = null;
/** host-call sequence of this thread: a late reply to an earlier cell's call (whoever's) never matches */
let seq = 0;

function prepare(memoryMb: number): void {
  const loaded = loadQuickJs(memoryMb);
  loaded.catch(() => undefined); // a failure surfaces when a cell takes it
  next = { memoryMb, loaded };
}

/** A new instance for this cell (the prepared one when its memory size fits); the next is prepared after the cell. */
function freshInstance(limits: TsCellLimits): Promise<LoadedModule> {
  if (!next || next.memoryMb !== limits.memoryMb) prepare(limits.memoryMb);
  const taken = next!.loaded;
  next = null;
  return taken;
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
    // the compiler's lazy parts, the wasm and QuickJS's first runtime load now, not in the first cell
    runCell(await freshInstance(message.limits), 'export const warm: number = 1;', '{}', message.limits, () => ({ ok: false, message: 'warming up' }));
    prepare(message.limits.memoryMb);
    post({ type: 'ready' });
    return;
  }
  let result;
  try {
    result = runCell(await freshInstance(message.limits), message.source, message.inputs, message.limits, hostCallFor(message.runId)).result;
  } catch (error) {
    result = { ok: false as const, error: { kind: 'crashed' as const, message: `the sandbox could not start QuickJS: ${error instanceof Error ? error.message : String(error)}` }, console: [], displays: [], timing: null };
  }
  post({ type: 'result', runId: message.runId, result });
  prepare(message.limits.memoryMb);
});
