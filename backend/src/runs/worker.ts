/**
 * Calculation worker (one job at a time, reused between jobs): loads a dataset into shared
 * columns, computes a whole run or one part of a split run, or merges the parts; a run's result
 * tables are written once, as Parquet in the run's folder (result-files.ts), by the job that ends
 * it. Progress goes to the main thread at most every 100 ms; engine input errors become a
 * `failed` message carrying the engine's own sentence.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import {
  AnalysisInputError, analyse, analysePartial, buildCurveSet, defaultSettings, mergeAnalyses,
  type AnalysisInput, type AnalysisResult, type AnalysisSettings,
} from '@almready/engine';
import { loadDataset } from '../data/datasets/index.ts';
import { withoutPaths } from '../data/import/read-error.ts';
import { engineScenario } from './custom-scenarios.ts';
import { writeResultTables } from './result-files.ts';
import { notebookRunTables, resultTables, runSummary } from './result-tables.ts';
import type { RunSettings } from './settings.ts';
import { shareDataset, type SharedDataset } from './shared-dataset.ts';
import { withIds } from './with-ids.ts';
import type { JobTimes, WorkerMessage, WorkerRequest } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('runs/worker.ts must run in a worker thread');
const post = (message: WorkerMessage) => port.postMessage(message);

function failureMessage(error: unknown): string {
  if (error instanceof AnalysisInputError) return `The analysis cannot run: ${error.messages.join('; ')}`;
  // Loading a dataset fails with messages naming its files on the server; the user sees none of that.
  return withoutPaths(error instanceof Error ? error.message : String(error));
}

/** This thread's CPU and wait ms so far (Linux schedstat; NaN elsewhere): a loaded machine's figures explained. */
function threadTimes(): { cpuMs: number; waitMs: number } {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { cpuMs: (run as number) / 1e6, waitMs: (wait as number) / 1e6 };
  } catch {
    return { cpuMs: Number.NaN, waitMs: Number.NaN };
  }
}

let jobStart = { at: 0, cpuMs: 0, waitMs: 0 };
function jobTimes(): JobTimes {
  const now = threadTimes();
  return { ms: Math.round(performance.now() - jobStart.at), cpuMs: Math.round(now.cpuMs - jobStart.cpuMs), waitMs: Math.round(now.waitMs - jobStart.waitMs) };
}

/** A known failure of the job (not a crash): its sentence goes to the user as it is. */
class RunFailure extends Error {}

function engineSettings(asOf: string, settings: RunSettings): AnalysisSettings {
  return {
    ...defaultSettings(asOf),
    method: settings.method,
    floor: settings.floor ? 'eu' : 'none',
    scenarios: settings.scenarios.filter((id) => id !== 'base'),
    niiHorizonMonths: settings.niiHorizonMonths,
    ...(settings.tier1 === null ? {} : { tier1: settings.tier1 }),
    ...(settings.nmd ? { nmd: settings.nmd } : {}),
    ...(settings.balanceSheet ? { balanceSheet: settings.balanceSheet } : {}),
    ...(settings.breakdownBy ? { breakdownBy: settings.breakdownBy } : {}),
    ...(settings.customScenarios ? { customScenarios: settings.customScenarios.map(engineScenario) } : {}),
  };
}

/** Progress posted at most every 100 ms per phase (and at every change of phase). */
function throttledProgress(): (phase: string, fraction: number) => void {
  let lastPost = 0;
  let lastPhase = '';
  return (phase, fraction) => {
    const now = Date.now();
    if (phase === lastPhase && now - lastPost < 100) return;
    lastPhase = phase;
    lastPost = now;
    post({ type: 'progress', phase, fraction });
  };
}

function analysisInput(dataset: SharedDataset, settings: RunSettings, onProgress?: AnalysisInput['onProgress']): AnalysisInput {
  const curves = buildCurveSet(dataset.curves);
  if (!curves.ok) {
    const first = curves.errors.slice(0, 3).map((e) => `row ${e.row} ${e.column}: ${e.reason}`).join('; ');
    throw new RunFailure(`The dataset's curves cannot be used (${curves.errors.length} problem(s)): ${first}`);
  }
  return {
    positions: dataset.positions,
    ...(dataset.schedules.length > 0 ? { schedules: dataset.schedules } : {}),
    curves: curves.curves,
    settings: engineSettings(dataset.asOf, settings),
    ...(onProgress ? { onProgress } : {}),
  };
}

async function finish(request: { outDir?: string; startedAt: number; dataset: SharedDataset }, result: AnalysisResult): Promise<void> {
  const summary = runSummary(result, request.dataset.positions.length, Date.now() - request.startedAt);
  if (request.outDir === undefined) return post({ type: 'done', summary, result, times: jobTimes() });
  post({ type: 'progress', phase: 'save', fraction: 0 });
  post({ type: 'native', busy: true });
  await writeResultTables(request.outDir, { ...resultTables(result), ...notebookRunTables(result) }).finally(() => post({ type: 'native', busy: false }));
  post({ type: 'done', summary, times: jobTimes() });
}

async function serve(request: WorkerRequest): Promise<void> {
  if (request.type === 'load') {
    const started = Date.now();
    post({ type: 'progress', phase: 'load', fraction: 0 });
    // the pool counts this job as inside DuckDB from its start (nativeAtStart) until this message
    const data = await loadDataset(request.datasetDir).finally(() => post({ type: 'native', busy: false }));
    const dataset = shareDataset(data);
    post({ type: 'progress', phase: 'load', fraction: 1 });
    return post({ type: 'loaded', dataset, loadMs: Date.now() - started, times: jobTimes() });
  }
  if (request.type === 'whole') {
    const input = analysisInput(request.dataset, request.settings, throttledProgress());
    return finish(request, withIds(input, request.dataset.ids, analyse));
  }
  if (request.type === 'part') {
    const input = analysisInput(request.dataset, request.settings, throttledProgress());
    const partial = withIds(input, request.dataset.ids, (i) => analysePartial(i, request.from, request.to));
    // a few sums per group and scenario: copied, not transferred (small)
    return post({ type: 'partial', partial, times: jobTimes() });
  }
  const input = analysisInput(request.dataset, request.settings);
  return finish(request, mergeAnalyses(input, request.partials));
}

// The pool sends one request at a time and reuses this worker for the next one.
port.on('message', (request: WorkerRequest) => {
  jobStart = { at: performance.now(), ...threadTimes() };
  serve(request).catch((error: unknown) => post({ type: 'failed', message: error instanceof RunFailure ? error.message : failureMessage(error) }));
});
