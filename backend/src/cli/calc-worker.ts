/**
 * Worker entry of `almready calc`'s split (calc-split.ts): waits for one part — the book's columns
 * on SharedArrayBuffer (read, never copied), the curves and settings, a position range in the run's
 * visiting order — computes it with the engine's analysePartial and posts the additive partial.
 */
import { parentPort } from 'node:worker_threads';
import { analysePartial, buildCurveSet } from '@almready/engine';
import type { PartReply, PartRequest } from './calc-split.ts';

const port = parentPort!;
port.once('message', (request: PartRequest) => {
  let reply: PartReply;
  try {
    const curves = buildCurveSet(request.curves);
    if (!curves.ok) throw new Error('the curves do not build in the worker');
    const partial = analysePartial({ positions: request.positions, schedules: request.schedules, curves: curves.curves, settings: request.settings }, request.from, request.to);
    reply = { ok: true, partial };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
