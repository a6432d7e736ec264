/**
 * Calculation worker (one run at a time, reused between runs): load the dataset's columns, analyse,
 * write each result table once as Parquet in the run's folder (result-files.ts).
 * Progress goes to the main thread at most every 100 ms; engine input errors become a `failed`
 * message carrying the engine's own sentence.
 */
import { parentPort } from 'node:worker_threads';
import { AnalysisInputError, analyse, buildCurveSet, defaultSettings, type AnalysisSettings } from '@almready/engine';
import { loadDataset } from '../data/datasets/index.ts';
import { withoutPaths } from '../data/import/read-error.ts';
import { engineScenario } from './custom-scenarios.ts';
import { writeResultTables } from './result-files.ts';
import { notebookRunTables, resultTables, runSummary } from './result-tables.ts';
import type { WorkerMessage, WorkerRequest } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('runs/worker.ts must run in a worker thread');
const post = (message: WorkerMessage) => port.postMessage(message);

function failureMessage(error: unknown): string {
  if (error instanceof AnalysisInputError) return `The analysis cannot run: ${error.messages.join('; ')}`;
  // Loading a dataset fails with messages naming its files on the server; the user sees none of that.
  return withoutPaths(error instanceof Error ? error.message : String(error));
}

async function run(request: WorkerRequest): Promise<void> {
  const started = Date.now();
  post({ type: 'progress', phase: 'load', fraction: 0 });
  post({ type: 'native', busy: true });
  const data = await loadDataset(request.datasetDir).finally(() => post({ type: 'native', busy: false }));
  post({ type: 'progress', phase: 'load', fraction: 1 });
  const curves = buildCurveSet(data.curves);
  if (!curves.ok) {
    const first = curves.errors.slice(0, 3).map((e) => `row ${e.row} ${e.column}: ${e.reason}`).join('; ');
    post({ type: 'failed', message: `The dataset's curves cannot be used (${curves.errors.length} problem(s)): ${first}` });
    return;
  }
  const settings: AnalysisSettings = {
    ...defaultSettings(data.asOf),
    method: request.settings.method,
    floor: request.settings.floor ? 'eu' : 'none',
    scenarios: request.settings.scenarios.filter((id) => id !== 'base'),
    niiHorizonMonths: request.settings.niiHorizonMonths,
    ...(request.settings.tier1 === null ? {} : { tier1: request.settings.tier1 }),
    ...(request.settings.nmd ? { nmd: request.settings.nmd } : {}),
    ...(request.settings.balanceSheet ? { balanceSheet: request.settings.balanceSheet } : {}),
    ...(request.settings.breakdownBy ? { breakdownBy: request.settings.breakdownBy } : {}),
    ...(request.settings.customScenarios ? { customScenarios: request.settings.customScenarios.map(engineScenario) } : {}),
  };
  let lastPost = 0;
  let lastPhase = '';
  const result = analyse({
    positions: data.positions,
    ...(data.schedules.length > 0 ? { schedules: data.schedules } : {}),
    curves: curves.curves,
    settings,
    onProgress: (phase, fraction) => {
      const now = Date.now();
      if (phase === lastPhase && now - lastPost < 100) return;
      lastPhase = phase;
      lastPost = now;
      post({ type: 'progress', phase, fraction });
    },
  });
  const summary = runSummary(result, data.positions.length, Date.now() - started);
  post({ type: 'progress', phase: 'save', fraction: 0 });
  post({ type: 'native', busy: true });
  await writeResultTables(request.outDir, { ...resultTables(result), ...notebookRunTables(result) }).finally(() => post({ type: 'native', busy: false }));
  post({ type: 'done', summary });
}

// The pool sends one request at a time and reuses this worker for the next one.
port.on('message', (request: WorkerRequest) => {
  run(request).catch((error: unknown) => post({ type: 'failed', message: failureMessage(error) }));
});
