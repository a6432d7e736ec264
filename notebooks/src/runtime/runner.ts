/**
 * The notebook runner: a thin coordinator that starts executions over the host and store ports.
 * `start` checks the request (the target cell exists, parameters name inputs and fit their specs)
 * and refuses it whole with sentences, or returns the running `Execution` at once; its events
 * stream while it runs and `result` settles when it is over.
 */
import type { NotebookDocument } from '../format/schema.ts';
import { Execution } from './execution.ts';
import { resolveInputValues, type Parameters } from './parameters.ts';
import type { RunTarget } from './plan.ts';
import type { AnalyseNotebook, CellHost, OutputStore } from './ports.ts';

export interface RunnerPorts {
  host: CellHost;
  store: OutputStore;
  analyse: AnalyseNotebook;
  /** Part of every cache key: a new engine re-runs everything once. */
  engineVersion: string;
  now?: () => number;
  newExecutionId?: () => string;
}

/** One saved version of a notebook; an execution never sees a later edit. */
export interface NotebookSnapshot {
  notebookId: string;
  version: number;
  document: NotebookDocument;
}

export interface ExecutionRequest {
  snapshot: NotebookSnapshot;
  target: RunTarget;
  parameters?: Parameters;
  datasetId: string | null;
  signal?: AbortSignal;
}

export class ExecutionRequestError extends Error {
  override name = 'ExecutionRequestError';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

export interface StartedExecution {
  execution: Execution;
  /** Stops the execution: the running cell is cancelled, queued cells are cancelled, nothing half done is stored. */
  cancel(): void;
}

export class NotebookRunner {
  private counter = 0;

  constructor(private readonly ports: RunnerPorts) {}

  start(request: ExecutionRequest): StartedExecution {
    const document = deepFreeze(structuredClone(request.snapshot.document));
    const problems: string[] = [];
    const target = request.target;
    if (target.scope !== 'notebook' && !document.cells.some((c) => c.id === target.cellId)) {
      problems.push(`version ${request.snapshot.version} of the notebook has no cell "${target.cellId}"`);
    }
    const inputs = resolveInputValues(document, request.parameters);
    if (!inputs.ok) problems.push(...inputs.errors);
    if (problems.length > 0) throw new ExecutionRequestError(problems);
    const controller = new AbortController();
    if (request.signal?.aborted) controller.abort();
    else request.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const execution = new Execution({
      id: this.ports.newExecutionId?.() ?? `x${Date.now().toString(36)}-${(this.counter++).toString(36)}`,
      notebookId: request.snapshot.notebookId,
      version: request.snapshot.version,
      document,
      target: request.target,
      inputValues: inputs.ok ? inputs.values : new Map(),
      datasetId: request.datasetId,
      engineVersion: this.ports.engineVersion,
      host: this.ports.host,
      store: this.ports.store,
      analyse: this.ports.analyse,
      now: this.ports.now ?? Date.now,
      signal: controller.signal,
    });
    return { execution, cancel: () => controller.abort() };
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
