import { useMemo, useState } from 'react';
import type { AgCartesianChartOptions } from 'ag-charts-community';
import { api, wsPath, type ApiResult } from '../api/http.ts';
import { checkAnswer, eveTableSchema, gapTableSchema, niiTableSchema, type Checked, type EveTable, type GapTable, type NiiTable } from '@almready/contracts';
import type { Run, TableResult } from '../api/types.ts';
import { Chart } from '../charts/Chart.tsx';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatCompact } from '../common/format.ts';
import { useApi } from '../common/useApi.ts';
import { DataGrid } from '../grid/DataGrid.tsx';
import { ImpactTable } from './ImpactTable.tsx';
import { gapPoints, scenarioImpacts, verdict } from './runResults.ts';

const DETAIL_TABLES = ['eve_by_bucket', 'eve_by_product', 'nii_profile'] as const;

function loadTable(workspaceId: string, runId: string, table: string): Promise<ApiResult<TableResult>> {
  return api.get<TableResult>(wsPath(workspaceId, 'runs', runId, 'results', table));
}

/** A headline table read through its contract: a drifted answer is an error on the page, not a wrong figure. */
async function loadChecked<T>(workspaceId: string, runId: string, table: string, check: (value: unknown) => Checked<T>): Promise<ApiResult<T>> {
  const loaded = await loadTable(workspaceId, runId, table);
  if (!loaded.ok) return loaded;
  const checked = check(loaded.value);
  return checked.ok ? { ok: true, value: checked.value } : { ok: false, error: { status: 200, code: 'contract_mismatch', message: checked.message } };
}

export function RunResults({ workspaceId, run }: { workspaceId: string; run: Run }) {
  const tables = useApi(async () => {
    const [eve, nii, gap] = await Promise.all([
      loadChecked<EveTable>(workspaceId, run.id, 'eve', (v) => checkAnswer(eveTableSchema, v, 'eve table')),
      loadChecked<NiiTable>(workspaceId, run.id, 'nii', (v) => checkAnswer(niiTableSchema, v, 'nii table')),
      loadChecked<GapTable>(workspaceId, run.id, 'gap', (v) => checkAnswer(gapTableSchema, v, 'gap table')),
    ]);
    if (!eve.ok) return eve;
    if (!nii.ok) return nii;
    if (!gap.ok) return gap;
    return { ok: true as const, value: { eve: eve.value, nii: nii.value, gap: gap.value } };
  }, `${run.id}:${run.status}`);
  const tier1 = run.settings.tier1;
  const eve = useMemo(() => (tables.data ? scenarioImpacts(tables.data.eve, tier1) : []), [tables.data, tier1]);
  const nii = useMemo(() => (tables.data ? scenarioImpacts(tables.data.nii, tier1) : []), [tables.data, tier1]);
  const gap = useMemo(() => (tables.data ? gapPoints(tables.data.gap) : []), [tables.data]);

  const eveChart = useMemo<AgCartesianChartOptions>(() => ({
    title: { text: 'ΔEVE by scenario' },
    data: eve.filter((i) => i.scenario !== 'base'),
    series: [{ type: 'bar', xKey: 'scenario', yKey: 'delta', yName: 'ΔEVE', itemStyler: ({ datum }) => ({ fill: (datum as { delta: number }).delta < 0 ? '#b03a2e' : '#2e7d4f' }) }],
    legend: { enabled: false },
    axes: { x: { type: 'category' }, y: { type: 'number', label: { formatter: ({ value }) => formatCompact(value) } } },
  }), [eve]);
  const gapChart = useMemo<AgCartesianChartOptions>(() => ({
    title: { text: 'Repricing gap and cumulative gap' },
    data: gap,
    series: [
      { type: 'bar', xKey: 'bucket', yKey: 'gap', yName: 'Gap', fill: '#5b7fa6' },
      { type: 'line', xKey: 'bucket', yKey: 'cumulative', yName: 'Cumulative gap', stroke: '#1f4e79', marker: { enabled: true, fill: '#1f4e79' } },
    ],
    axes: { x: { type: 'category' }, y: { type: 'number', label: { formatter: ({ value }) => formatCompact(value) } } },
  }), [gap]);

  if (tables.error) return <ErrorBanner error={tables.error} />;
  if (!tables.data) return <p className="muted">Loading results…</p>;
  if (!run.summary) return <ErrorBanner error="This run is done but has no summary; start it again." />;
  return (
    <div className="results" data-testid="run-results">
      <div className="two-columns">
        <ImpactTable impacts={eve} measure="eve" verdict={verdict(run.summary, 'eve', run.settings.scenarios)} />
        <ImpactTable impacts={nii} measure="nii" verdict={verdict(run.summary, 'nii', run.settings.scenarios)} />
      </div>
      <div className="two-columns">
        <Chart options={eveChart} label="ΔEVE by scenario" />
        <Chart options={gapChart} label="Repricing gap" />
      </div>
      <h3>Repricing gap</h3>
      <DataGrid columns={tables.data.gap.columns} rows={tables.data.gap.rows} height={300} />
      <DetailTables workspaceId={workspaceId} runId={run.id} />
    </div>
  );
}

function DetailTables({ workspaceId, runId }: { workspaceId: string; runId: string }) {
  const [table, setTable] = useState<(typeof DETAIL_TABLES)[number]>('eve_by_bucket');
  const loaded = useApi(() => loadTable(workspaceId, runId, table), `${runId}:${table}`);
  return (
    <div className="details">
      <div className="section-head">
        <h3>Breakdown</h3>
        <select value={table} onChange={(e) => setTable(e.target.value as typeof table)} aria-label="Breakdown table">
          {DETAIL_TABLES.map((t) => <option key={t} value={t}>{t.replace(/_/g, ' ')}</option>)}
        </select>
      </div>
      <ErrorBanner error={loaded.error} />
      {loaded.data ? <DataGrid columns={loaded.data.columns} rows={loaded.data.rows} height={300} /> : null}
    </div>
  );
}
