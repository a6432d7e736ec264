import { describe, expect, it } from 'vitest';
import { analyseNotebook } from '../cells/analyse-cell.ts';
import type { SqlReferencePort } from '../cells/sql-analysis.ts';
import type { NotebookCell, NotebookDocument } from '../format/schema.ts';
import { executionEventSchema, type ExecutionEvent } from './events.ts';
import type { ExecutionResult } from './execution.ts';
import { MemoryOutputStore } from './memory-output-store.ts';
import { resolveInputValues } from './parameters.ts';
import { storedOutputs } from './stored-outputs.ts';
import type { OutputStore } from './ports.ts';
import { ExecutionRequestError, NotebookRunner, type ExecutionRequest } from './runner.ts';
import { TestCellHost, type Row, type TestSqlContext, type TestTsContext } from './test-cell-host.ts';

// Stands in for DuckDB's parser: the tables named after FROM and JOIN.
const fromClauses: SqlReferencePort = {
  async tableReferences(sql) {
    return { ok: true, tables: [...sql.matchAll(/(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)/gi)].map((m) => m[1]!), statements: 1 };
  },
};
const analyse = (doc: NotebookDocument) => analyseNotebook(doc, fromClauses);

const POSITIONS: Row[] = [
  { product: 'loan', currency: 'EUR', notional: 1000 },
  { product: 'loan', currency: 'USD', notional: 500 },
  { product: 'deposit', currency: 'EUR', notional: -800 },
  { product: 'bond', currency: 'EUR', notional: 300 },
  { product: 'bond', currency: 'GBP', notional: 700 },
];

/** `by_product` as DuckDB would answer the test's SQL: sum of notional by product, optionally for one currency. */
function byProduct({ source }: TestSqlContext): Row[] {
  const currency = /currency = '([A-Z]{3})'/.exec(source)?.[1];
  const sums = new Map<string, number>();
  for (const p of POSITIONS) if (currency === undefined || p.currency === currency) sums.set(String(p.product), (sums.get(String(p.product)) ?? 0) + Number(p.notional));
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([product, notional]) => ({ product, notional }));
}
function counts(): Row[] {
  const n = new Map<string, number>();
  for (const p of POSITIONS) n.set(String(p.currency), (n.get(String(p.currency)) ?? 0) + 1);
  return [...n].sort(([a], [b]) => a.localeCompare(b)).map(([currency, count]) => ({ currency, n: count }));
}
function totals(ctx: TestTsContext) {
  const total = ctx.rowsOf(ctx.inputs.by_product).reduce((s, r) => s + Number(r.notional), 0);
  return { values: { total, above: total > Number(ctx.value('threshold')) }, console: [{ level: 'log' as const, text: `total ${total}` }] };
}

const BY_PRODUCT_SQL = 'SELECT product, sum(notional) AS notional FROM positions GROUP BY product ORDER BY product';
const TOTALS_TS = 'const rows = by_product.rows(100);\nexport const total = rows.reduce((s, r) => s + r.notional, 0);\nexport const above = total > threshold;';

function cells(overrides: Partial<Record<string, Partial<NotebookCell>>> = {}): NotebookCell[] {
  const list: NotebookCell[] = [
    { id: 'summary', kind: 'markdown', source: 'Total is ${total:money}; above the threshold: ${above}.' },
    { id: 'threshold', kind: 'input', name: 'threshold', source: '{"type": "number", "default": 1000}' },
    { id: 'by_product', kind: 'sql', name: 'by_product', source: BY_PRODUCT_SQL },
    { id: 'totals', kind: 'ts', name: 'totals', source: TOTALS_TS },
    { id: 'chart', kind: 'chart', source: '{"data": "by_product", "type": "bar", "x": "product", "y": "notional"}' },
    { id: 'counts', kind: 'sql', name: 'counts', source: 'SELECT currency, count(*) AS n FROM positions GROUP BY currency' },
    { id: 'counts_grid', kind: 'grid', source: '{"data": "counts", "columns": ["currency", "n"]}' },
  ];
  return list.map((c) => ({ ...c, ...overrides[c.id] }) as NotebookCell);
}
const doc = (cellList: NotebookCell[], lazy?: boolean): NotebookDocument => ({ format: 'almready-notebook', version: 2, title: 'T', cells: cellList, ...(lazy ? { lazy } : {}) });

function setup(options: { store?: OutputStore; host?: TestCellHost } = {}) {
  const host = options.host ?? new TestCellHost({ sql: { by_product: byProduct, counts }, ts: { totals } });
  const store = options.store ?? new MemoryOutputStore();
  let clock = 1_000;
  let n = 0;
  const runner = new NotebookRunner({ host, store, analyse, engineVersion: '1.0.0', now: () => (clock += 5), newExecutionId: () => `e${++n}` });
  const run = async (request: Partial<ExecutionRequest> & { document: NotebookDocument; version?: number }) => {
    const started = runner.start({ snapshot: { notebookId: 'nb1', version: request.version ?? 1, document: request.document }, target: request.target ?? { scope: 'notebook' }, datasetId: 'ds1', ...(request.parameters ? { parameters: request.parameters } : {}), ...(request.signal ? { signal: request.signal } : {}) });
    const result = await started.execution.result;
    const events = [...started.execution.log.all()];
    for (const event of events) expect(executionEventSchema.parse(event)).toEqual(event); // what the SSE stream sends fits the shared schema
    return { result, events };
  };
  return { host, store, runner, run };
}

const statuses = (r: ExecutionResult) => Object.fromEntries([...r.cells].map(([id, c]) => [id, c.state.status === 'done' ? (c.state.fromCache ? 'cached' : 'ran') : c.state.status]));
const cellEvents = (events: ExecutionEvent[], id: string) => events.filter((e) => 'cellId' in e && e.cellId === id).map((e) => e.type);
const html = (r: ExecutionResult, id: string) => { const o = r.cells.get(id)?.output; return o?.kind === 'markdown' ? o.html : undefined; };

describe('notebook runner', () => {
  it('runs the whole notebook in topological order, then finds every output in storage', async () => {
    const { host, store, run } = setup();
    const first = await run({ document: doc(cells()) });
    expect(first.result.status).toBe('done');
    expect([...first.result.cells.keys()]).toEqual(['threshold', 'by_product', 'totals', 'summary', 'chart', 'counts', 'counts_grid']);
    expect(host.ranCells()).toEqual(['by_product', 'totals', 'counts']);
    expect(html(first.result, 'summary')).toBe('<p>Total is <span class="nb-value">1,700</span>; above the threshold: <span class="nb-value">true</span>.</p>\n');
    const chart = first.result.cells.get('chart')?.output;
    expect(chart?.kind === 'chart' && 'table' in chart.data ? [chart.data.table.name, chart.data.table.rowCount, chart.data.table.firstPage] : null)
      .toEqual(['by_product', 3, [{ product: 'bond', notional: 1000 }, { product: 'deposit', notional: -800 }, { product: 'loan', notional: 1500 }]]);
    expect(cellEvents(first.events, 'totals')).toEqual(['queued', 'running', 'done']);
    const done = first.events.find((e) => e.type === 'done' && e.cellId === 'totals');
    expect(done).toMatchObject({ fromCache: false, durationMs: expect.any(Number), summary: { kind: 'ts', values: ['total', 'above'], scalars: { total: 1700, above: true }, consoleLines: 1 } });
    expect(first.events.at(-1)).toMatchObject({ type: 'execution-finished', status: 'done', counts: { done: 7 } });
    expect(store instanceof MemoryOutputStore && store.keys()).toHaveLength(7);

    const second = await run({ document: doc(cells()) });
    expect(statuses(second.result)).toEqual({ threshold: 'cached', by_product: 'cached', totals: 'cached', summary: 'cached', chart: 'cached', counts: 'cached', counts_grid: 'cached' });
    expect(host.ranCells()).toHaveLength(3); // nothing ran again
    expect(html(second.result, 'summary')).toBe(html(first.result, 'summary'));
    expect(second.events.find((e) => e.type === 'done' && e.cellId === 'totals')).toMatchObject({ fromCache: true, durationMs: (done as { durationMs: number }).durationMs });
  });

  it('editing the SQL re-runs its dependents while unrelated cells come from storage', async () => {
    const { host, run } = setup();
    await run({ document: doc(cells()) });
    const edited = doc(cells({ by_product: { source: `${BY_PRODUCT_SQL.replace(' GROUP', " WHERE currency = 'EUR' GROUP")}` } }));
    const rerun = await run({ document: edited, version: 2, target: { scope: 'cell-and-dependents', cellId: 'by_product' } });
    expect(statuses(rerun.result)).toEqual({ by_product: 'ran', totals: 'ran', summary: 'ran', chart: 'ran', threshold: 'cached' });
    expect(html(rerun.result, 'summary')).toBe('<p>Total is <span class="nb-value">500</span>; above the threshold: <span class="nb-value">false</span>.</p>\n');
    const all = await run({ document: edited, version: 2 });
    expect(statuses(all.result)).toEqual({ threshold: 'cached', by_product: 'cached', totals: 'cached', summary: 'cached', chart: 'cached', counts: 'cached', counts_grid: 'cached' });
    expect(host.ranCells()).toEqual(['by_product', 'totals', 'counts', 'by_product', 'totals']);
  });

  it('running one cell first runs its missing ancestors', async () => {
    const { host, run } = setup();
    const result = await run({ document: doc(cells()), target: { scope: 'cell', cellId: 'totals' } });
    expect(statuses(result.result)).toEqual({ threshold: 'ran', by_product: 'ran', totals: 'ran', summary: 'stale' });
    expect(host.ranCells()).toEqual(['by_product', 'totals']);
    expect(result.events.find((e) => e.type === 'stale')).toMatchObject({ cellId: 'summary', reason: 'an input changed; run it to update' });
    const alone = await setup().run({ document: doc(cells()), target: { scope: 'cell', cellId: 'by_product' } });
    expect(statuses(alone.result)).toEqual({ by_product: 'ran', totals: 'stale', summary: 'stale', chart: 'stale' }); // threshold, read only by the stale totals, is not needed
  });

  it('a lazy notebook marks computing dependents stale and what reads them; a lazy cell alone does the same', async () => {
    const { host, run } = setup();
    await run({ document: doc(cells()) });
    const edited = cells({ by_product: { source: BY_PRODUCT_SQL.replace(' GROUP', " WHERE currency = 'GBP' GROUP") } });
    const lazy = await run({ document: doc(edited, true), version: 2, target: { scope: 'cell-and-dependents', cellId: 'by_product' } });
    expect(statuses(lazy.result)).toEqual({ by_product: 'ran', totals: 'stale', summary: 'stale', chart: 'ran' }); // threshold, read only by stale cells, is left out
    expect(lazy.events.find((e) => e.type === 'stale' && e.cellId === 'summary')).toMatchObject({ reason: 'reads "total" from cell totals, which is stale' });
    expect(host.ranCells().slice(3)).toEqual(['by_product']);
    // on an empty store, the input only the stale cell reads is not computed for it
    const fresh = await setup().run({ document: doc(edited, true), target: { scope: 'cell-and-dependents', cellId: 'by_product' } });
    expect(statuses(fresh.result)).toEqual({ by_product: 'ran', totals: 'stale', summary: 'stale', chart: 'ran' });

    const lazyCell = await run({ document: doc(cells({ by_product: { source: BY_PRODUCT_SQL.replace(' GROUP', " WHERE currency = 'USD' GROUP") }, totals: { lazy: true } })), version: 3, target: { scope: 'cell-and-dependents', cellId: 'by_product' } });
    expect(statuses(lazyCell.result)).toEqual({ by_product: 'ran', totals: 'stale', summary: 'stale', chart: 'ran' });
    // once the lazy cell's output for these inputs is stored, it is not stale any more
    await run({ document: doc(edited, true), version: 2, target: { scope: 'cell', cellId: 'totals' } });
    const again = await run({ document: doc(edited, true), version: 2, target: { scope: 'cell-and-dependents', cellId: 'by_product' } });
    expect(statuses(again.result)).toEqual({ by_product: 'cached', totals: 'cached', summary: 'ran', chart: 'cached', threshold: 'cached' }); // prose over current inputs renders
  });

  it('a failing cell blocks only its dependents, which name it; the failure keeps its line and column', async () => {
    const host = new TestCellHost({ sql: { by_product: () => ({ ok: false, message: 'Binder Error: column "notionl" not found', line: 1, column: 20 }), counts }, ts: { totals } });
    const { run } = setup({ host });
    const { result, events } = await run({ document: doc(cells()) });
    expect(result.status).toBe('failed');
    expect(statuses(result)).toEqual({ threshold: 'ran', by_product: 'failed', totals: 'blocked', summary: 'blocked', chart: 'blocked', counts: 'ran', counts_grid: 'ran' });
    expect(events.find((e) => e.type === 'failed')).toMatchObject({ cellId: 'by_product', message: 'Binder Error: column "notionl" not found', line: 1, column: 20 });
    const blocked = events.filter((e) => e.type === 'blocked');
    expect(blocked.map((e) => [e.cellId, 'ancestor' in e ? e.ancestor : ''])).toEqual([['totals', 'by_product'], ['summary', 'by_product'], ['chart', 'by_product']]);
    expect(blocked[1]).toMatchObject({ reason: 'cell by_product failed: Binder Error: column "notionl" not found' });
    expect(host.ranCells()).toEqual(['by_product', 'counts']);
  });

  it('a host that throws, an output off its schema and a store that refuses each fail that cell, never marked done', async () => {
    const host = new TestCellHost({ sql: { by_product: () => { throw new Error('DuckDB connection lost'); }, counts }, ts: { totals } });
    const { result, events } = await setup({ host }).run({ document: doc(cells()) });
    expect(events.find((e) => e.type === 'failed')).toMatchObject({ cellId: 'by_product', message: 'internal error: DuckDB connection lost' });
    expect(statuses(result)).toMatchObject({ by_product: 'failed', totals: 'blocked', counts: 'ran' });

    const offSchema = new TestCellHost({ sql: { by_product: byProduct, counts }, ts: { totals: () => ({ values: { total: Number.NaN } }) } });
    const second = await setup({ host: offSchema }).run({ document: doc(cells()) });
    expect(second.events.find((e) => e.type === 'failed')).toMatchObject({ cellId: 'totals', message: expect.stringMatching(/^internal error: the ts cell's output does not fit its schema/) });

    const refusing: OutputStore = { get: async () => null, put: async (o) => { if (o.cellId === 'counts') throw new Error('disk full'); } };
    const third = await setup({ store: refusing }).run({ document: doc(cells()) });
    expect(statuses(third.result)).toMatchObject({ counts: 'failed', counts_grid: 'blocked', totals: 'ran' });
    expect(third.events.find((e) => e.type === 'failed')).toMatchObject({ cellId: 'counts', message: 'the output could not be stored: disk full' });
  });

  it('an analysis that throws ends the execution as failed with the reason; nothing runs', async () => {
    const host = new TestCellHost({});
    const runner = new NotebookRunner({ host, store: new MemoryOutputStore(), analyse: async () => { throw new Error('DuckDB parser unavailable'); }, engineVersion: '1.0.0' });
    const started = runner.start({ snapshot: { notebookId: 'nb1', version: 1, document: doc(cells()) }, target: { scope: 'notebook' }, datasetId: 'ds1' });
    const result = await started.execution.result;
    expect(result).toMatchObject({ status: 'failed', error: 'the notebook could not be analysed: DuckDB parser unavailable' });
    expect(started.execution.log.all().map((e) => e.type)).toEqual(['execution-started', 'execution-finished']);
    expect(started.execution.log.all()[1]).toMatchObject({ status: 'failed', error: 'the notebook could not be analysed: DuckDB parser unavailable' });
    expect(host.calls).toEqual([]);
  });

  it('a ts cell that does not parse fails at its line and column without running', async () => {
    const { host, run } = setup();
    const { events } = await run({ document: doc(cells({ totals: { source: 'const rows = by_product.rows(100);\nexport const total = rows.reduce((s, r) => s + , 0);' } })) });
    expect(events.find((e) => e.type === 'failed')).toMatchObject({ cellId: 'totals', message: 'line 2, column 48: Expression expected.', line: 2, column: 48 });
    expect(host.ranCells()).toEqual(['by_product', 'counts']);
  });

  it('a chart naming a column its result lacks fails on the chart, naming the field', async () => {
    const { run } = setup();
    const { result, events } = await run({ document: doc(cells({ chart: { source: '{"data": "by_product", "type": "bar", "x": "product", "y": "notionl"}' } })) });
    expect(statuses(result).chart).toBe('failed');
    expect(events.find((e) => e.type === 'failed')).toMatchObject({ cellId: 'chart', message: 'y: by_product has no column "notionl" (its columns: product, notional)' });
  });

  it('cancel mid-run cancels the running and queued cells and stores nothing of the cell it stopped', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const running = new Promise<void>((resolve) => (entered = resolve));
    // this host ignores the abort and answers late: the runner must still drop the answer
    let gated = true;
    const host = new TestCellHost({ sql: { by_product: byProduct, counts }, ts: { totals: async (ctx) => { if (gated) { entered(); await gate; } return totals(ctx); } } });
    const store = new MemoryOutputStore();
    const { runner } = setup({ host, store });
    const controller = new AbortController();
    const started = runner.start({ snapshot: { notebookId: 'nb1', version: 1, document: doc(cells()) }, target: { scope: 'notebook' }, datasetId: 'ds1', signal: controller.signal });
    await running;
    controller.abort();
    const result = await started.execution.result;
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(result.status).toBe('cancelled');
    expect(statuses(result)).toEqual({ threshold: 'ran', by_product: 'ran', totals: 'cancelled', summary: 'cancelled', chart: 'cancelled', counts: 'cancelled', counts_grid: 'cancelled' });
    expect(await store.get(result.cells.get('totals')!.cacheKey!)).toBeNull();
    expect(store.keys().sort()).toEqual([result.cells.get('by_product')!.cacheKey!, result.cells.get('threshold')!.cacheKey!].sort());
    expect(started.execution.log.all().at(-1)).toMatchObject({ type: 'execution-finished', status: 'cancelled', counts: { done: 2, cancelled: 5 } });
    // the next run picks up where the cancelled one stopped
    gated = false;
    const next = await setup({ host, store }).run({ document: doc(cells()) });
    expect(statuses(next.result)).toMatchObject({ by_product: 'cached', totals: 'ran', counts: 'ran' });
  });

  it('cancel before anything ran cancels every cell', async () => {
    const { runner, store } = setup();
    const started = runner.start({ snapshot: { notebookId: 'nb1', version: 1, document: doc(cells()) }, target: { scope: 'notebook' }, datasetId: 'ds1' });
    started.cancel();
    const result = await started.execution.result;
    expect(new Set(Object.values(statuses(result)))).toEqual(new Set(['cancelled']));
    expect((store as MemoryOutputStore).keys()).toEqual([]);
  });

  it('cycles, duplicate names and unresolved names are errors on every cell involved, which do not run', async () => {
    const host = new TestCellHost({ ts: { a: () => ({ values: { x: 1 } }), b: () => ({ values: { y: 2 } }) } });
    const { run } = setup({ host });
    const { result, events } = await run({ document: doc([
      { id: 'a', kind: 'ts', source: 'export const x = y + 1;' },
      { id: 'b', kind: 'ts', source: 'export const y = x * 2;' },
      { id: 'after', kind: 'markdown', source: 'x is ${x}' },
      { id: 'd1', kind: 'ts', source: 'export const dup = 1;' },
      { id: 'd2', kind: 'ts', source: 'export const dup = 2;' },
      { id: 'lost', kind: 'ts', source: 'export const z = nowhere * 2;' },
      { id: 'fine', kind: 'markdown', source: 'plain prose' },
    ]) });
    expect(statuses(result)).toEqual({ d1: 'failed', d2: 'failed', lost: 'failed', fine: 'ran', a: 'failed', b: 'failed', after: 'blocked' });
    const failures = Object.fromEntries(events.flatMap((e) => (e.type === 'failed' ? [[e.cellId, e.message]] : [])));
    expect(failures.a).toBe('cells a, b form a cycle (a reads "y" from b, b reads "x" from a); none of them can run until one stops reading the others');
    expect(failures.b).toBe(failures.a);
    expect(failures.d1).toBe('"dup" is defined by 2 cells (d1, d2); rename it in all but one');
    expect(failures.d2).toBe(failures.d1);
    expect(failures.lost).toBe('reads "nowhere", which no cell defines');
    expect(events.find((e) => e.type === 'blocked')).toMatchObject({ cellId: 'after', ancestor: 'a' });
    expect(host.ranCells()).toEqual([]);
  });

  it('a parameter change re-runs only the dependents of that input; bad parameters refuse the execution', async () => {
    const { host, run, runner } = setup();
    await run({ document: doc(cells()) });
    const changed = await run({ document: doc(cells()), parameters: { threshold: '1_000_000' } });
    expect(statuses(changed.result)).toEqual({ threshold: 'ran', by_product: 'cached', totals: 'ran', summary: 'ran', chart: 'cached', counts: 'cached', counts_grid: 'cached' });
    expect(html(changed.result, 'summary')).toContain('above the threshold: <span class="nb-value">false</span>');
    expect(host.ranCells().slice(3)).toEqual(['totals']);
    const typed = await run({ document: doc(cells()), parameters: { threshold: 1_000_000 } });
    expect(Object.values(statuses(typed.result)).every((s) => s === 'cached')).toBe(true); // the same value typed or as text: the same keys

    const request = (parameters: Record<string, string>) => () => runner.start({ snapshot: { notebookId: 'nb1', version: 1, document: doc(cells()) }, target: { scope: 'notebook' }, datasetId: 'ds1', parameters });
    expect(request({ tier1: '5' })).toThrow(new ExecutionRequestError(['there is no input named "tier1" (the notebook\'s inputs: threshold)']));
    expect(request({ threshold: 'lots' })).toThrow('input "threshold": "lots" is not a number');
    expect(() => runner.start({ snapshot: { notebookId: 'nb1', version: 4, document: doc(cells()) }, target: { scope: 'cell', cellId: 'nope' }, datasetId: 'ds1' })).toThrow('version 4 of the notebook has no cell "nope"');
  });

  it('the dataset id and the engine version are in every key', async () => {
    const keysOf = async (engineVersion: string, datasetId: string) => {
      const runner = new NotebookRunner({ host: new TestCellHost({ sql: { by_product: byProduct, counts }, ts: { totals } }), store: new MemoryOutputStore(), analyse, engineVersion });
      const result = await runner.start({ snapshot: { notebookId: 'nb1', version: 1, document: doc(cells()) }, target: { scope: 'notebook' }, datasetId }).execution.result;
      return (id: string) => result.cells.get(id)?.cacheKey;
    };
    const runs = [await keysOf('1.0.0', 'ds1'), await keysOf('1.0.1', 'ds1'), await keysOf('1.0.0', 'ds2'), await keysOf('1.0.0', 'ds1')];
    for (const id of ['threshold', 'by_product', 'totals', 'summary', 'counts_grid']) {
      expect(runs.map((key) => key(id))).toEqual([runs[0]!(id), expect.any(String), expect.any(String), runs[0]!(id)]);
      expect(new Set(runs.slice(0, 3).map((key) => key(id))).size).toBe(3);
    }
  });

  it('the run order is the same every time and does not follow document order where a cell reads a later one', async () => {
    const { run } = setup();
    const orders = [];
    for (let i = 0; i < 3; i++) {
      const { events } = await run({ document: doc(cells()) });
      const started = events[0]!;
      orders.push(started.type === 'execution-started' ? started.cells : []);
    }
    expect(orders).toEqual(Array(3).fill(['threshold', 'by_product', 'totals', 'summary', 'chart', 'counts', 'counts_grid']));
  });

  it('reports progress of a long cell', async () => {
    const host = new TestCellHost({ sql: { by_product: byProduct, counts }, ts: { totals: (ctx) => { ctx.call.progress({ fraction: 0.25, etaSeconds: 3 }); ctx.call.progress({ fraction: 7 }); return totals(ctx); } } });
    const { run } = setup({ host });
    const { events } = await run({ document: doc(cells()), target: { scope: 'cell', cellId: 'totals' } });
    expect(events.filter((e) => e.type === 'running' && e.cellId === 'totals').map((e) => ('progress' in e ? e.progress : null))).toEqual([null, { fraction: 0.25, etaSeconds: 3 }, { fraction: 1 }]);
  });
});

describe('consistency', () => {
  it('one execution sees one frozen version: an edit after the start changes nothing it runs', async () => {
    const { host, runner } = setup();
    const document = doc(cells());
    const started = runner.start({ snapshot: { notebookId: 'nb1', version: 1, document }, target: { scope: 'notebook' }, datasetId: 'ds1' });
    (document.cells[2] as { source: string }).source = 'SELECT 1';
    const result = await started.execution.result;
    expect(host.calls.find((c) => c.cellId === 'by_product')).toBeDefined();
    expect(result.cells.get('by_product')?.output).toMatchObject({ table: { rowCount: 3 } });
    expect(html(result, 'summary')).toContain('1,700');
  });

  it('two executions on different versions at once keep their own outputs, neither overwriting the other', async () => {
    // v1's SQL cell waits until v2 has finished, so v2 runs and stores everything in the middle of v1
    let v2Finished!: () => void;
    const v2Done = new Promise<void>((resolve) => (v2Finished = resolve));
    const host = new TestCellHost({
      sql: { by_product: async (ctx) => { if (ctx.call.notebook.version === 1) await v2Done; return byProduct(ctx); }, counts },
      ts: { totals },
    });
    const store = new MemoryOutputStore();
    const { runner } = setup({ host, store });
    const v1 = doc(cells());
    const v2 = doc(cells({ by_product: { source: BY_PRODUCT_SQL.replace(' GROUP', " WHERE currency = 'USD' GROUP") } }));
    const events: ExecutionEvent[] = [];
    const [a, b] = [v1, v2].map((document, i) => {
      const started = runner.start({ snapshot: { notebookId: 'nb1', version: i + 1, document }, target: { scope: 'notebook' }, datasetId: 'ds1' });
      started.execution.log.subscribe((e) => events.push(e));
      if (i === 1) void started.execution.result.then(() => v2Finished());
      return started.execution.result;
    });
    const [r1, r2] = await Promise.all([a!, b!]);
    const finished = events.filter((e) => e.type === 'execution-finished').map((e) => e.executionId);
    expect(finished).toEqual(['e2', 'e1']); // they really overlapped
    expect(html(r1, 'summary')).toContain('1,700');
    expect(html(r2, 'summary')).toContain('500');
    for (const [result, total] of [[r1, 1700], [r2, 500]] as const) {
      const key = result.cells.get('totals')!.cacheKey!;
      expect((await store.get(key))?.output).toMatchObject({ kind: 'ts', values: { total } });
      const table = (await store.get(result.cells.get('by_product')!.cacheKey!))?.output;
      expect(table?.kind === 'sql' ? host.tables.get(table.table.id)?.reduce((s, r) => s + Number(r.notional), 0) : null).toBe(total);
    }
    expect(r1.cells.get('counts')!.cacheKey).toBe(r2.cells.get('counts')!.cacheKey); // the shared cell shares its key
    expect(r1.cells.get('by_product')!.cacheKey).not.toBe(r2.cells.get('by_product')!.cacheKey);
  });

  it('a subscriber that throws does not disturb the execution', async () => {
    const { runner } = setup();
    const started = runner.start({ snapshot: { notebookId: 'nb1', version: 1, document: doc(cells()) }, target: { scope: 'notebook' }, datasetId: 'ds1' });
    let calls = 0;
    started.execution.log.subscribe(() => { calls++; throw new Error('socket closed'); });
    const result = await started.execution.result;
    expect(result.status).toBe('done');
    expect(calls).toBe(started.execution.log.all().length);
  });

  it('a late subscriber reads the events after the last one it saw', async () => {
    const { runner } = setup();
    const started = runner.start({ snapshot: { notebookId: 'nb1', version: 1, document: doc(cells()) }, target: { scope: 'cell', cellId: 'counts' }, datasetId: 'ds1' });
    const seen: ExecutionEvent[] = [];
    for await (const event of started.execution.events()) seen.push(event);
    const replay: number[] = [];
    for await (const event of started.execution.events(seen[2]!.seq)) replay.push(event.seq);
    expect(seen.map((e) => e.type)).toEqual(['execution-started', 'queued', 'queued', 'running', 'done', 'stale', 'execution-finished']);
    expect(replay).toEqual([3, 4, 5, 6]);
  });
});

describe('stored outputs of a version', () => {
  it('are found without running anything; an edited cell and what reads it have none yet', async () => {
    const { store, run } = setup();
    const first = await run({ document: doc(cells()) });
    const values = resolveInputValues(doc(cells()));
    if (!values.ok) throw new Error(values.errors.join('; '));
    const context = { datasetId: 'ds1', engineVersion: '1.0.0', inputValues: values.values };
    const same = await storedOutputs(doc(cells()), await analyse(doc(cells())), context, store);
    expect(same.size).toBe(7);
    for (const [id, cell] of first.result.cells) expect(same.get(id)?.stored?.output).toEqual(cell.output);
    const edited = doc(cells({ counts: { source: 'SELECT currency, count(*) AS n FROM positions WHERE notional > 0 GROUP BY currency' } }));
    const after = await storedOutputs(edited, await analyse(edited), context, store);
    expect([...after].filter(([, o]) => o.stored === null).map(([id]) => id)).toEqual(['counts', 'counts_grid']);
    expect(after.get('counts')?.cacheKey).toMatch(/^[0-9a-f]{64}$/);
  });
});
