/**
 * The output under a cell, by kind: an SQL result as a paged grid; a ts cell's metrics (large
 * numbers), grids, charts, its tables and its console lines (collapsible); prose as the sanitised
 * HTML the notebooks renderer wrote (figures interpolated); chart and grid cells from their spec.
 */
import { useEffect, useMemo, useState } from 'react';
import { chartSpecSchema, type CellOutput, type ChartSpec, type TableHandle, type TsOutput, type TsView } from '@almready/notebooks';
import { api } from '../../api/http.ts';
import type { QueryResult } from '../../api/types.ts';
import { Chart } from '../../charts/Chart.tsx';
import { chartOptions } from './chartOptions.ts';
import { pageUrl, tableSource, type PageQuery } from './outputPaging.ts';
import { RowsGrid, StoredTableGrid } from './ResultGrid.tsx';
import { formatValue, metricFormat } from './valueFormat.ts';

type Outputs = Readonly<Record<string, CellOutput | null | undefined>>;
type Row = Record<string, unknown>;
const CHART_ROWS = 10_000;

export interface OutputContext { notebookUrl: string; query: PageQuery; outputs: Outputs }

function isRows(value: unknown): value is Row[] {
  return Array.isArray(value) && value.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r));
}

function tableRef(value: unknown): string | null {
  const v = value as { $almTable?: unknown } | null;
  return v && typeof v === 'object' && typeof v.$almTable === 'string' ? v.$almTable : null;
}

/** Rows for a chart: all of a small table from its first page, else up to 10,000 from the page route. */
function useChartRows(handle: TableHandle | null, rows: Row[] | null, ctx: OutputContext): { rows: Row[] | null; error: string | null; truncated: boolean } {
  const [state, setState] = useState<{ rows: Row[] | null; error: string | null }>({ rows: rows ?? null, error: null });
  useEffect(() => {
    if (rows) return setState({ rows, error: null });
    if (!handle) return setState({ rows: null, error: 'no data' });
    if (handle.firstPage.length >= handle.rowCount) return setState({ rows: handle.firstPage, error: null });
    const source = tableSource(handle, ctx.outputs);
    if (!source) return setState({ rows: handle.firstPage, error: null });
    let live = true;
    void api.get<QueryResult>(pageUrl(ctx.notebookUrl, source, ctx.query, { startRow: 0, endRow: Math.min(CHART_ROWS, handle.rowCount), sortModel: [], filterModel: {} })).then((r) => {
      if (live) setState(r.ok ? { rows: r.value.rows, error: null } : { rows: handle.firstPage, error: r.error.message });
    });
    return () => { live = false; };
  }, [handle, rows, ctx]);
  return { ...state, truncated: handle !== null && handle.rowCount > CHART_ROWS };
}

export function ChartView({ spec, handle, rows, ctx }: { spec: ChartSpec; handle: TableHandle | null; rows: Row[] | null; ctx: OutputContext }) {
  const data = useChartRows(handle, rows, ctx);
  const options = useMemo(() => (data.rows ? chartOptions(spec, data.rows) : null), [spec, data.rows]);
  return (
    <div className="nb-chart">
      {data.error ? <div className="cell-error">{data.error}</div> : null}
      {options ? <Chart options={options} height={320} label={spec.title ?? `${spec.type} chart of ${spec.data}`} /> : <p className="muted">Loading the chart…</p>}
      {data.truncated ? <p className="muted">The chart shows the first {CHART_ROWS.toLocaleString('en-GB')} rows of {handle?.rowCount.toLocaleString('en-GB')}.</p> : null}
    </div>
  );
}

export function Metric({ label, value, format }: { label: string; value: unknown; format: string | null }) {
  return (
    <div className="nb-metric" data-testid="metric">
      <div className="nb-metric-value" data-testid="metric-value">{formatValue(value, metricFormat(format))}</div>
      <div className="nb-metric-label">{label}</div>
    </div>
  );
}

function TsViewOutput({ view, output, cellId, ctx, index }: { view: TsView; output: TsOutput; cellId: string; ctx: OutputContext; index: number }) {
  const handleById = (id: string) => Object.entries(output.tables).find(([, t]) => t.id === id);
  if (view.type === 'metric') return null; // metrics sit together above
  if (view.type === 'grid') {
    const ref = tableRef(view.data);
    const found = ref ? handleById(ref) : undefined;
    if (found) return <StoredTableGrid handle={found[1]} source={{ cellId, table: found[0] }} notebookUrl={ctx.notebookUrl} query={ctx.query} label={`grid ${index + 1} of the cell`} />;
    if (isRows(view.data)) return <RowsGrid rows={view.data} label={`grid ${index + 1} of the cell`} />;
    return <div className="cell-error">alm.grid was given something that is neither a table nor rows.</div>;
  }
  const raw = (view.spec ?? {}) as Record<string, unknown>;
  const parsed = chartSpecSchema.safeParse({ ...raw, data: 'inline' });
  if (!parsed.success) return <div className="cell-error">alm.chart spec: {parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}</div>;
  const data = raw.data;
  const ref = tableRef(data);
  const named = typeof data === 'string' ? output.tables[data] : undefined;
  const handle = ref ? handleById(ref)?.[1] ?? null : named ?? null;
  return <ChartView spec={{ ...parsed.data, data: typeof data === 'string' ? data : parsed.data.title ?? 'data' }} handle={handle} rows={isRows(data) ? data : null} ctx={ctx} />;
}

/** A ts cell's tables (run tables among them), each grid mounted only once the list is opened. */
function TsTables({ output, cellId, ctx }: { output: TsOutput; cellId: string; ctx: OutputContext }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="nb-tables" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>tables · {Object.keys(output.tables).join(', ')}</summary>
      {open ? Object.entries(output.tables).map(([name, t]) => <StoredTableGrid key={name} handle={t} source={{ cellId, table: name }} notebookUrl={ctx.notebookUrl} query={ctx.query} label={`table ${name}`} />) : null}
    </details>
  );
}

function ConsoleLines({ lines }: { lines: TsOutput['console'] }) {
  if (lines.length === 0) return null;
  return (
    <details className="nb-console no-print" open={lines.length <= 5}>
      <summary>console · {lines.length} line{lines.length === 1 ? '' : 's'}</summary>
      <pre>{lines.map((l, i) => <div key={i} className={`console-${l.level}`}>{l.text}</div>)}</pre>
    </details>
  );
}

export function CellOutputView({ cellId, output, ctx, report = false }: { cellId: string; output: CellOutput; ctx: OutputContext; report?: boolean }) {
  switch (output.kind) {
    case 'sql':
      return <StoredTableGrid handle={output.table} source={{ cellId }} notebookUrl={ctx.notebookUrl} query={ctx.query} label={`result ${output.table.name}`} />;
    case 'markdown':
      return (
        <div className="nb-markdown">
          {/* the notebooks renderer writes this HTML from an allow-list, every text escaped (markdown/render.ts) */}
          <div className="prose" dangerouslySetInnerHTML={{ __html: output.html }} />
          {output.problems.length && !report ? <ul className="cell-problems">{output.problems.map((p) => <li key={p}>{p}</li>)}</ul> : null}
        </div>
      );
    case 'chart': {
      const handle = 'table' in output.data ? output.data.table : null;
      return <ChartView spec={output.spec} handle={handle} rows={'rows' in output.data ? output.data.rows : null} ctx={ctx} />;
    }
    case 'grid': {
      const look = { columns: output.spec.columns, formats: output.spec.formats, sort: output.spec.sort };
      if ('rows' in output.data) return <RowsGrid rows={output.data.rows} look={look} label={`grid of ${output.spec.data}`} />;
      return <StoredTableGrid handle={output.data.table} source={tableSource(output.data.table, ctx.outputs)} notebookUrl={ctx.notebookUrl} query={ctx.query} look={look} label={`grid of ${output.spec.data}`} />;
    }
    case 'input':
      return null; // the control itself shows the value
    case 'ts': {
      const metrics = output.views.filter((v): v is Extract<TsView, { type: 'metric' }> => v.type === 'metric');
      const scalars = Object.entries(output.values).filter(([, v]) => v === null || typeof v !== 'object');
      return (
        <div className="nb-ts-output">
          {metrics.length ? <div className="nb-metrics">{metrics.map((m, i) => <Metric key={i} label={m.label} value={m.value} format={m.format} />)}</div> : null}
          {output.views.map((v, i) => <TsViewOutput key={i} view={v} output={output} cellId={cellId} ctx={ctx} index={i} />)}
          {!report && scalars.length ? (
            <dl className="nb-values" data-testid="ts-values">
              {scalars.map(([k, v]) => <div key={k}><dt>{k}</dt><dd data-name={k}>{formatValue(v, undefined)}</dd></div>)}
            </dl>
          ) : null}
          {!report && Object.keys(output.tables).length ? <TsTables output={output} cellId={cellId} ctx={ctx} /> : null}
          {report ? null : <ConsoleLines lines={output.console} />}
        </div>
      );
    }
  }
}
