/**
 * `almready calc` over two threads: the main thread and one worker (calc-worker.ts) each compute
 * part of the book with the engine's analysePartial — contiguous ranges of the run's visiting order
 * (localityOrder) cut at equal estimated work (positionWork) — and mergeAnalyses sums them. The
 * columns sit on SharedArrayBuffer (readSources with sharedArrays), so the worker reads them
 * without a copy. The result equals analyse() to rounding (sums in another order; tested to 1e-9).
 * The worker starts before the files are read, so its start-up overlaps the import.
 *
 * Small books run on the main thread alone: below SPLIT_MIN_POSITIONS (SPLIT_MIN_FILE_BYTES for the
 * command, known before the file is read) the worker's start-up and the second run context cost
 * more than the half of the work they take over.
 */
import { Worker } from 'node:worker_threads';
import { AnalysisInputError, analyse, analysePartial, mergeAnalyses, parseIsoDate, type AnalysisInput, type AnalysisPartial, type AnalysisResult, type AnalysisSettings, type CurveRow, type PositionColumns, type ScheduleColumns } from '@almready/engine';
import { localityOrder, positionWork } from '@almready/engine/testing';
import { workerStart } from '../runtime-paths.ts';

export const SPLIT_MIN_POSITIONS = 20_000;
/**
 * A positions file this large (~250,000 canonical CSV rows of ~130 bytes) is worth booting the
 * worker for. Measured at 100,000 positions (13 MB), interleaved on a loaded 2-core machine: the
 * split cost ~0.5 s more CPU (the worker's start and JIT warm-up, a second run context) and saved
 * no wall time; at 1,000,000 each half is ~2.5 s of CPU and the split pays.
 */
export const SPLIT_MIN_FILE_BYTES = 32_000_000;

export interface PartRequest {
  positions: PositionColumns;
  schedules: ScheduleColumns | undefined;
  curves: CurveRow[];
  settings: AnalysisSettings;
  from: number;
  to: number;
}
export type PartReply = { ok: true; partial: AnalysisPartial } | { ok: false; message: string };

const START = workerStart(new URL('./calc-worker.ts', import.meta.url), 'calc-worker');

/** A worker booted ahead of the run; `close` ends it whether or not it was used. */
export class CalcWorker {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private failure: Error | undefined;
  private exited = false;
  /** parts this worker has computed */
  parts = 0;

  constructor() {
    this.worker = new Worker(START.file, { workerData: { entry: START.entry } });
    this.worker.once('exit', () => (this.exited = true));
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.once('message', () => resolve());
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the calculation worker stopped before answering (exit code ${code})`)));
    });
    // a failed start is reported by compute(), not as an unhandled rejection
    this.ready.catch((error: unknown) => (this.failure = error instanceof Error ? error : new Error(String(error))));
  }

  /** Settles once the worker has started or failed to. */
  booted(): Promise<void> {
    return this.ready.catch(() => undefined);
  }

  async compute(request: PartRequest): Promise<AnalysisPartial> {
    await this.booted();
    if (this.failure) throw this.failure;
    if (this.exited) throw new Error('the calculation worker has ended');
    const reply = new Promise<PartReply>((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the calculation worker stopped before answering (exit code ${code})`)));
    });
    this.worker.postMessage(request);
    const answer = await reply;
    if (!answer.ok) throw new Error(answer.message);
    this.parts += 1;
    return answer.partial;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Cut of the visiting order [0, n) into [0, c) and [c, n) with about equal estimated work. The
 * worker's part is the second one.
 */
export function workCut(input: AnalysisInput): number {
  const p = input.positions;
  const asOf = parseIsoDate(input.settings.asOf);
  if (asOf === undefined) return Math.floor(p.length / 2);
  const order = localityOrder(p);
  const options = { scenarios: (input.settings.scenarios?.length ?? 6) + 1, horizonMonths: input.settings.niiHorizonMonths ?? 12 };
  const running = new Float64Array(order.length);
  let total = 0;
  for (let k = 0; k < order.length; k++) running[k] = total += positionWork(p, asOf, order[k] as number, options);
  for (let k = 0; k < order.length; k++) if ((running[k] as number) >= total / 2) return k + 1;
  return order.length;
}

/**
 * analyse(input) over the main thread and `worker` (small books, or no worker: the main thread
 * alone). `curves` are the rows the CurveSet was built from (the worker builds its own). A failing
 * part (a position that cannot be valued) is run again on one thread, whose error names the positions.
 */
export async function analyseSplit(input: AnalysisInput, curves: CurveRow[], worker: CalcWorker | undefined, minPositions = SPLIT_MIN_POSITIONS): Promise<AnalysisResult> {
  const n = input.positions.length;
  if (!worker || n < minPositions) return analyse(input);
  const cut = workCut(input);
  const request: PartRequest = {
    positions: { ...input.positions, id: [] }, schedules: input.schedules, curves, settings: input.settings, from: cut, to: n,
  };
  const second = worker.compute(request);
  // the main thread's part runs while the worker computes; a settings error surfaces here first
  let first: AnalysisPartial;
  try {
    first = analysePartial(input, 0, cut);
  } catch (error) {
    await second.catch(() => undefined);
    if (error instanceof AnalysisInputError) throw error;
    return analyse(input);
  }
  let partial: AnalysisPartial;
  try {
    partial = await second;
  } catch {
    return analyse(input);
  }
  return mergeAnalyses(input, [first, partial]);
}
