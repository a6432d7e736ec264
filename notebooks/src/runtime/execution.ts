/**
 * One execution: a frozen copy of one notebook version, its plan, and the cells driven through it
 * one at a time in plan order (deterministic; the sandbox and DuckDB each run one cell at a time
 * anyway). Each cell's state moves only through `transition`, and each move is an event.
 *
 * A cell, in order: errors of its own or of the graph → failed; an upstream failure → blocked,
 * naming the cell that failed; an upstream stale cell → stale; a lazy dependent → from storage or
 * stale; otherwise from storage, or run and then stored. A cancel stops the running cell, cancels
 * the queued ones and stores nothing of the cell it interrupted.
 */
import type { NotebookAnalysis } from '../cells/analyse-cell.ts';
import { isComputingKind, type NotebookCell, type NotebookDocument } from '../format/schema.ts';
import type { InputValue } from '../specs/input-spec.ts';
import { assertNever } from '../assert-never.ts';
import { bindName } from './bindings.ts';
import { IDLE, transition, type CellEvent, type CellState } from './cell-state.ts';
import { EventLog } from './event-log.ts';
import type { ExecutionEvent, ExecutionStatus } from './events.ts';
import { notebookCacheKeys } from './notebook-keys.ts';
import { cellOutputSchema, summariseOutput, type CellOutput } from './outputs.ts';
import { planExecution, type Plan, type RunTarget } from './plan.ts';
import type { AnalyseNotebook, CellHost, HostResult, InputBinding, OutputStore } from './ports.ts';
import { runInput, runMarkdown, runView } from './pure-cells.ts';

export interface ExecutionContext {
  id: string;
  notebookId: string;
  version: number;
  document: NotebookDocument;
  target: RunTarget;
  inputValues: ReadonlyMap<string, InputValue>;
  datasetId: string | null;
  engineVersion: string;
  host: CellHost;
  store: OutputStore;
  analyse: AnalyseNotebook;
  now: () => number;
  signal: AbortSignal;
}

export interface CellResult {
  state: CellState;
  cacheKey?: string;
  output?: CellOutput;
}

export interface ExecutionResult {
  executionId: string;
  status: ExecutionStatus;
  /** The cells the execution touched, in plan order. */
  cells: Map<string, CellResult>;
  /** Set when the execution could not start (the analysis itself failed). */
  error?: string;
}

const ABORTED = Symbol('aborted');

export class Execution {
  readonly log: EventLog;
  readonly result: Promise<ExecutionResult>;
  private readonly states = new Map<string, CellState>();
  private readonly outputs = new Map<string, CellOutput>();
  private keys = new Map<string, string>();
  private cells = new Map<string, NotebookCell>();
  private analysis: NotebookAnalysis | undefined;
  private plan: Plan = { order: [], roles: new Map() };

  constructor(private readonly ctx: ExecutionContext) {
    this.log = new EventLog(ctx.id, ctx.now);
    this.result = this.run();
  }

  get id(): string {
    return this.ctx.id;
  }

  state(cellId: string): CellState {
    return this.states.get(cellId) ?? IDLE;
  }

  events(afterSeq?: number): AsyncGenerator<ExecutionEvent> {
    return this.log.after(afterSeq);
  }

  private async run(): Promise<ExecutionResult> {
    const doc = this.ctx.document;
    this.cells = new Map(doc.cells.map((c) => [c.id, c]));
    let error: string | undefined;
    try {
      const analysis = await this.ctx.analyse(doc);
      this.analysis = analysis;
      this.keys = notebookCacheKeys(doc, analysis, { datasetId: this.ctx.datasetId, engineVersion: this.ctx.engineVersion, inputValues: this.ctx.inputValues });
      this.plan = planExecution(analysis.graph, doc.cells.map((c) => c.id), this.ctx.target);
      const withProblems = (id: string) => analysis.problems.has(id);
      // cells the topological order leaves out (cycles and below) come last: those with errors first, so what they block can name them
      const ordered = new Set(analysis.graph.runOrder(this.plan.order));
      const rest = this.plan.order.filter((id) => !ordered.has(id));
      this.plan.order = [...this.plan.order.filter((id) => ordered.has(id)), ...rest.filter(withProblems), ...rest.filter((id) => !withProblems(id))];
      await this.dropAncestorsOfStaleDependents();
    } catch (cause) {
      error = `the notebook could not be analysed: ${cause instanceof Error ? cause.message : String(cause)}`;
      this.plan = { order: [], roles: new Map() };
    }
    this.log.emit({ type: 'execution-started', notebookId: this.ctx.notebookId, version: this.ctx.version, cells: this.plan.order });
    for (const id of this.plan.order) this.apply(id, { type: 'queue', executionId: this.ctx.id });
    for (const id of this.plan.order) {
      if (this.ctx.signal.aborted) break;
      try {
        await this.step(id);
      } catch (cause) {
        // a defect must not leave the cell queued for ever: it fails, and what reads it is blocked
        this.fail(id, { message: `internal error: ${cause instanceof Error ? cause.message : String(cause)}` });
      }
    }
    if (this.ctx.signal.aborted) for (const id of this.plan.order) this.apply(id, { type: 'cancel', at: this.ctx.now() });
    const status: ExecutionStatus = this.ctx.signal.aborted ? 'cancelled' : error !== undefined || this.plan.order.some((id) => ['failed', 'blocked'].includes(this.state(id).status)) ? 'failed' : 'done';
    const counts: Record<string, number> = {};
    for (const id of this.plan.order) counts[this.state(id).status] = (counts[this.state(id).status] ?? 0) + 1;
    this.log.emit({ type: 'execution-finished', status, counts, ...(error !== undefined ? { error } : {}) });
    this.log.close();
    const cells = new Map<string, CellResult>();
    for (const id of this.plan.order) {
      const key = this.keys.get(id);
      const output = this.outputs.get(id);
      cells.set(id, { state: this.state(id), ...(key !== undefined ? { cacheKey: key } : {}), ...(output !== undefined ? { output } : {}) });
    }
    return { executionId: this.ctx.id, status, cells, ...(error !== undefined ? { error } : {}) };
  }

  /**
   * A lazy dependent without a stored output will be stale, and so will what reads it: the
   * ancestors only they need are left out, so a lazy cell never makes an expensive upstream cell run.
   */
  private async dropAncestorsOfStaleDependents(): Promise<void> {
    const { roles } = this.plan;
    const graph = this.analysis!.graph;
    const stale = new Set<string>();
    for (const id of this.plan.order) {
      if (roles.get(id) !== 'dependent') continue;
      if (graph.parents(id).some((p) => stale.has(p))) stale.add(id);
      else if (this.isLazy(this.cells.get(id)!)) {
        const key = this.keys.get(id);
        const stored = key === undefined ? null : await this.ctx.store.get(key).catch(() => null);
        if (stored === null) stale.add(id);
      }
    }
    if (stale.size === 0) return;
    const needed = new Set<string>();
    for (const id of this.plan.order) if (roles.get(id) !== 'ancestor' && !stale.has(id)) for (const a of graph.ancestors(id)) needed.add(a);
    for (const [id, role] of [...roles]) if (role === 'ancestor' && !needed.has(id)) roles.delete(id);
    this.plan.order = this.plan.order.filter((id) => roles.has(id));
  }

  private async step(id: string): Promise<void> {
    const analysis = this.analysis!;
    const cell = this.cells.get(id)!;
    const problems = analysis.problems.get(id);
    if (problems !== undefined) {
      const placed = analysis.cells.get(id)?.problems.find((p) => p.line !== undefined);
      return this.fail(id, { message: problems.join('; '), ...(placed?.line !== undefined ? { line: placed.line } : {}), ...(placed?.column !== undefined ? { column: placed.column } : {}) });
    }
    const blocker = this.blocker(id);
    if (blocker !== undefined) return this.apply(id, { type: 'block', ...blocker });
    const staleParent = analysis.graph.inputs(id).find((input) => this.state(input.from).status === 'stale');
    if (staleParent !== undefined) return this.apply(id, { type: 'invalidate', reason: `reads "${staleParent.name}" from ${this.label(staleParent.from)}, which is stale` });
    const key = this.keys.get(id);
    if (key === undefined) return this.fail(id, { message: 'this cell has no output key: an input it reads has none (report this)' });
    const stored = await this.ctx.store.get(key).catch((cause: unknown) => new StoreError(cause));
    if (stored instanceof StoreError) return this.fail(id, { message: `the stored output could not be read: ${stored.message}` });
    if (stored !== null) {
      this.outputs.set(id, stored.output);
      return this.apply(id, { type: 'cached', cacheKey: key, at: this.ctx.now() }, stored.output, stored.durationMs);
    }
    if (this.isLazy(cell)) return this.apply(id, { type: 'invalidate', reason: this.ctx.target.scope === 'cell' ? 'an input changed; run it to update' : 'lazy: an input changed; run it to update' });
    await this.runCell(cell, key);
  }

  private async runCell(cell: NotebookCell, key: string): Promise<void> {
    const id = cell.id;
    const started = this.ctx.now();
    this.apply(id, { type: 'start', executionId: this.ctx.id, at: started });
    const inputs = this.bindings(id);
    if (typeof inputs === 'string') return this.fail(id, { message: inputs });
    let result: HostResult<CellOutput> | typeof ABORTED;
    try {
      result = await untilAborted(this.invoke(cell, inputs, key), this.ctx.signal);
    } catch (cause) {
      result = this.ctx.signal.aborted ? ABORTED : { ok: false, message: `internal error: ${cause instanceof Error ? cause.message : String(cause)}` };
    }
    if (result === ABORTED || this.ctx.signal.aborted) return this.apply(id, { type: 'cancel', at: this.ctx.now() }); // nothing is stored
    if (!result.ok) return this.fail(id, result);
    const checked = cellOutputSchema.safeParse(result.output);
    if (!checked.success || checked.data.kind !== cell.kind) {
      return this.fail(id, { message: `internal error: the ${cell.kind} cell's output does not fit its schema (${checked.success ? `a ${checked.data.kind} output` : checked.error.issues[0]?.message ?? 'invalid'})` });
    }
    const output = checked.data;
    const finished = this.ctx.now();
    try {
      await this.ctx.store.put({ cacheKey: key, cellId: id, output, durationMs: Math.max(0, finished - started), createdAt: finished });
    } catch (cause) {
      return this.fail(id, { message: `the output could not be stored: ${cause instanceof Error ? cause.message : String(cause)}` });
    }
    this.outputs.set(id, output);
    this.apply(id, { type: 'succeed', executionId: this.ctx.id, cacheKey: key, at: finished }, output);
  }

  private invoke(cell: NotebookCell, inputs: Record<string, InputBinding>, cacheKey: string): Promise<HostResult<CellOutput>> {
    const call = {
      inputs, cacheKey, datasetId: this.ctx.datasetId, notebook: { id: this.ctx.notebookId, version: this.ctx.version }, signal: this.ctx.signal,
      progress: (update: { fraction: number; etaSeconds?: number }) => {
        if (this.state(cell.id).status !== 'running' || this.ctx.signal.aborted) return;
        const fraction = Math.min(1, Math.max(0, Number.isFinite(update.fraction) ? update.fraction : 0));
        this.states.set(cell.id, transition(this.state(cell.id), { type: 'progress', executionId: this.ctx.id, fraction }));
        const eta = update.etaSeconds !== undefined && Number.isFinite(update.etaSeconds) && update.etaSeconds >= 0 ? { etaSeconds: update.etaSeconds } : {};
        this.log.emit({ type: 'running', cellId: cell.id, progress: { fraction, ...eta } });
      },
    };
    switch (cell.kind) {
      case 'sql': return this.ctx.host.runSql({ ...call, cell });
      case 'ts': return this.ctx.host.runTs({ ...call, cell });
      case 'markdown': return Promise.resolve(runMarkdown(cell, inputs, this.ctx.host.workspaceImageUrl?.bind(this.ctx.host)));
      case 'chart': case 'grid': return Promise.resolve(runView(cell, inputs));
      case 'input': return Promise.resolve(runInput(this.ctx.inputValues.get(cell.id)));
      default: return assertNever(cell);
    }
  }

  /** The names the cell reads, bound to upstream outputs; a sentence when one is missing. */
  private bindings(id: string): Record<string, InputBinding> | string {
    const analysis = this.analysis!;
    const caseInsensitive = analysis.cells.get(id)?.caseInsensitiveUses === true;
    const out: Record<string, InputBinding> = {};
    for (const { name, from } of analysis.graph.inputs(id)) {
      const output = this.outputs.get(from);
      const binding = output === undefined ? undefined : bindName(name, output, caseInsensitive);
      if (binding === undefined) return `reads "${name}" from ${this.label(from)}, which produced no output of that name`;
      out[name] = binding;
    }
    return out;
  }

  /** The upstream cell that failed or was cancelled, however far up, when one did. */
  private blocker(id: string): { ancestor: string; reason: string } | undefined {
    const graph = this.analysis!.graph;
    for (const parent of graph.parents(id)) {
      const state = this.state(parent);
      if (state.status === 'failed') return { ancestor: parent, reason: `${this.label(parent)} failed: ${state.message}` };
      if (state.status === 'cancelled') return { ancestor: parent, reason: `${this.label(parent)} was cancelled` };
      if (state.status === 'blocked') return { ancestor: state.ancestor, reason: state.reason };
    }
    // a parent outside the plan is only looked up by key (a lone cell's dependents), never read
    const unsettled = graph.parents(id).find((p) => this.plan.roles.has(p) && !['done', 'stale'].includes(this.state(p).status));
    if (unsettled === undefined) return undefined;
    // below a cycle, parents may come later in the order: name the failed cell further up
    const failed = [...graph.ancestors(id)].find((a) => this.state(a).status === 'failed');
    return failed !== undefined ? { ancestor: failed, reason: `${this.label(failed)} failed` } : { ancestor: unsettled, reason: `${this.label(unsettled)} could not run` };
  }

  private isLazy(cell: NotebookCell): boolean {
    if (this.plan.roles.get(cell.id) !== 'dependent') return false;
    if (this.ctx.target.scope === 'cell') return true;
    if (!isComputingKind(cell.kind)) return false;
    return ('lazy' in cell && cell.lazy === true) || this.ctx.document.lazy === true;
  }

  private label(id: string): string {
    const name = this.cells.get(id)?.name;
    return name === undefined || name === id ? `cell ${id}` : `cell ${id} (${name})`;
  }

  private fail(id: string, failure: { message: string; line?: number; column?: number }): void {
    this.apply(id, { type: 'fail', executionId: this.ctx.id, at: this.ctx.now(), message: failure.message, ...(failure.line !== undefined ? { line: failure.line } : {}), ...(failure.column !== undefined ? { column: failure.column } : {}) });
  }

  /** Moves the cell's state and sends the event for the move, if the state changed. */
  private apply(id: string, event: CellEvent, output?: CellOutput, storedDurationMs?: number): void {
    const before = this.state(id);
    const after = transition(before, event);
    if (after === before) return;
    this.states.set(id, after);
    switch (after.status) {
      case 'queued': this.log.emit({ type: 'queued', cellId: id }); break;
      case 'running': this.log.emit({ type: 'running', cellId: id }); break;
      case 'done':
        this.log.emit({ type: 'done', cellId: id, cacheKey: after.cacheKey, durationMs: after.fromCache ? storedDurationMs ?? 0 : after.durationMs, fromCache: after.fromCache, summary: summariseOutput(output!) });
        break;
      case 'failed': this.log.emit({ type: 'failed', cellId: id, message: after.message, ...(after.line !== undefined ? { line: after.line } : {}), ...(after.column !== undefined ? { column: after.column } : {}) }); break;
      case 'stale': this.log.emit({ type: 'stale', cellId: id, reason: after.reason }); break;
      case 'cancelled': this.log.emit({ type: 'cancelled', cellId: id }); break;
      case 'blocked': this.log.emit({ type: 'blocked', cellId: id, ancestor: after.ancestor, reason: after.reason }); break;
      case 'idle': break;
      default: assertNever(after);
    }
  }
}

class StoreError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** The promise's value, or ABORTED as soon as the signal fires (a host that ignores the signal cannot hold the execution). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}
