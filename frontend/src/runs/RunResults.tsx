import { useMemo, useState } from 'react';
import type { AgCartesianChartOptions } from 'ag-charts-community';
import { api, wsPath, type ApiResult } from '../api/http.ts';
import { checkAnswer, eveTableSchema, gapTableSchema, niiTableSchema, type Checked, type EveTable, type GapTable, type NiiTable } from '@almready/contracts';
import { RESULT_TABLES } from '@almready/contracts';
import type { Run, TableResult } from '../api/types.ts';
import { Chart } from '../charts/Chart.tsx';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatAmount, formatCompact } from '../common/format.ts';
import { useApi } from '../common/useApi.ts';
import { DataGrid } from '../grid/DataGrid.tsx';
import { ImpactTable } from './ImpactTable.tsx';
import { currencyLines, gapPoints, niiProfilePoints, scenarioImpacts, totalsCurrency, verdict, type CurrencyLine, type LongTable, type Measure } from './runResults.ts';

const DETAIL_TABLES = ['eve_by_bucket', 'eve_by_product', 'eve_by_currency', 'nii_by_currency', 'nii_profile'] as const;

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
    const [eve, nii, gap, eveByCurrency, niiByCurrency, niiProfile] = await Promise.all([
      loadChecked<EveTable>(workspaceId, run.id, 'eve', (v) => checkAnswer(eveTableSchema, v, 'eve table')),
      loadChecked<NiiTable>(workspaceId, run.id, 'nii', (v) => checkAnswer(niiTableSchema, v, 'nii table')),
      loadChecked<GapTable>(workspaceId, run.id, 'gap', (v) => checkAnswer(gapTableSchema, v, 'gap table')),
      loadTable(workspaceId, run.id, 'eve_by_currency'),
      loadTable(workspaceId, run.id, 'nii_by_currency'),
      loadTable(workspaceId, run.id, 'nii_profile'),
    ]);
    if (!eve.ok) return eve;
    if (!nii.ok) return nii;
    if (!gap.ok) return gap;
    if (!eveByCurrency.ok) return eveByCurrency;
    if (!niiByCurrency.ok) return niiByCurrency;
    if (!niiProfile.ok) return niiProfile;
    return { ok: true as const, value: { eve: eve.value, nii: nii.value, gap: gap.value, eveByCurrency: eveByCurrency.value as LongTable, niiByCurrency: niiByCurrency.value as LongTable, niiProfile: niiProfile.value as LongTable } };
  }, `${run.id}:${run.status}`);
  const tier1 = run.settings.tier1;
  const eve = useMemo(() => (tables.data ? scenarioImpacts(tables.data.eve, tier1) : []), [tables.data, tier1]);
  const nii = useMemo(() => (tables.data ? scenarioImpacts(tables.data.nii, tier1) : []), [tables.data, tier1]);
  const gap = useMemo(() => (tables.data ? gapPoints(tables.data.gap) : []), [tables.data]);
  const currency = totalsCurrency(run.summary?.currencies);
  const unit = currency.mixed ? (run.summary?.currencies ?? []).join('+') : currency.label;
  const profile = useMemo(() => (tables.data ? niiProfilePoints(tables.data.niiProfile) : { points: [], scenarios: [] }), [tables.data]);
  const profileChart = useMemo<AgCartesianChartOptions>(() => ({
    title: { text: 'NII by month' },
    subtitle: { text: `in ${currency.label}` },
    data: profile.points,
    series: profile.scenarios.map((scenario) => ({ type: 'line' as const, xKey: 'month', yKey: scenario, yName: scenario, marker: { enabled: profile.points.length <= 24 } })),
    axes: { x: { type: 'number', title: { text: 'Month' }, interval: { step: 1 } }, y: { type: 'number', label: { formatter: ({ value }) => formatCompact(value) } } },
  }), [profile, currency.label]);

  const eveChart = useMemo<AgCartesianChartOptions>(() => ({
    title: { text: 'ΔEVE by scenario' },
    subtitle: { text: `in ${currency.label}` },
    data: eve.filter((i) => i.scenario !== 'base'),
    series: [{ type: 'bar', xKey: 'scenario', yKey: 'delta', yName: 'ΔEVE', itemStyler: ({ datum }) => ({ fill: (datum as { delta: number }).delta < 0 ? '#b03a2e' : '#2e7d4f' }) }],
    legend: { enabled: false },
    axes: { x: { type: 'category' }, y: { type: 'number', label: { formatter: ({ value }) => formatCompact(value) } } },
  }), [eve, currency.label]);
  const gapChart = useMemo<AgCartesianChartOptions>(() => ({
    title: { text: 'Repricing gap and cumulative gap' },
    subtitle: { text: `in ${currency.label}` },
    data: gap,
    series: [
      { type: 'bar', xKey: 'bucket', yKey: 'gap', yName: 'Gap', fill: '#5b7fa6' },
      { type: 'line', xKey: 'bucket', yKey: 'cumulative', yName: 'Cumulative gap', stroke: '#1f4e79', marker: { enabled: true, fill: '#1f4e79' } },
    ],
    axes: { x: { type: 'category' }, y: { type: 'number', label: { formatter: ({ value }) => formatCompact(value) } } },
  }), [gap, currency.label]);

  if (tables.error) return <ErrorBanner error={tables.error} />;
  if (!tables.data) return <p className="muted">Loading results…</p>;
  if (!run.summary) return <ErrorBanner error="This run is done but has no summary; start it again." />;
  return (
    <div className="results" data-testid="run-results">
      <div className="section-head">
        <p className={currency.mixed ? 'notice' : 'muted'} data-testid="totals-currency">
          All amounts in {currency.label}{currency.mixed ? ': the by-currency tables below give each currency on its own.' : '.'}
        </p>
        <RunExports workspaceId={workspaceId} runId={run.id} />
      </div>
      <div className="two-columns">
        <ImpactTable impacts={eve} measure="eve" unit={unit} verdict={verdict(run.summary, 'eve', run.settings.scenarios)} />
        <ImpactTable impacts={nii} measure="nii" unit={unit} verdict={verdict(run.summary, 'nii', run.settings.scenarios)} />
      </div>
      <div className="two-columns">
        <CurrencyTable lines={currencyLines(tables.data.eveByCurrency, 'eve')} measure="eve" scenarios={run.settings.scenarios} />
        <CurrencyTable lines={currencyLines(tables.data.niiByCurrency, 'nii')} measure="nii" scenarios={run.settings.scenarios} />
      </div>
      <div className="two-columns">
        <Chart options={eveChart} label="ΔEVE by scenario" />
        <Chart options={gapChart} label="Repricing gap" />
      </div>
      <Chart options={profileChart} label="NII monthly profile" />
      <h3>Repricing gap ({unit})</h3>
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

/** EVE or NII of each currency on its own (no FX conversion): base and Δ per scenario. */
function CurrencyTable({ lines, measure, scenarios }: { lines: CurrencyLine[]; measure: Measure; scenarios: readonly string[] }) {
  const name = measure.toUpperCase();
  const shocks = scenarios.filter((s) => s !== 'base');
  if (lines.length === 0) return <p className="muted">No by-currency breakdown for this run (made before it was recorded); start it again to see one.</p>;
  return (
    <div className="impact" data-testid={`${measure}-by-currency`}>
      <h3>{name} by currency</h3>
      <table className="table compact">
        <thead><tr><th>Currency</th><th className="num">{name} base</th>{shocks.map((s) => <th key={s} className="num">Δ {s}</th>)}</tr></thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.currency} data-currency={line.currency}>
              <td>{line.currency}</td>
              <td className="num">{formatAmount(line.base)} {line.currency}</td>
              {shocks.map((s) => <td key={s} className={`num ${(line.deltas[s] ?? 0) < 0 ? 'negative' : ''}`}>{formatAmount(line.deltas[s])}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Downloads: the whole run as one workbook, or any result table as CSV (built on the server). */
function RunExports({ workspaceId, runId }: { workspaceId: string; runId: string }) {
  const [table, setTable] = useState<string>('eve');
  return (
    <span className="exports" data-testid="run-exports">
      <a className="button" href={wsPath(workspaceId, 'runs', runId, 'workbook')} download>Download workbook (XLSX)</a>
      <select value={table} onChange={(e) => setTable(e.target.value)} aria-label="Table to export">
        {RESULT_TABLES.map((t) => <option key={t} value={t}>{t.replace(/_/g, ' ')}</option>)}
      </select>
      <a className="button" href={wsPath(workspaceId, 'runs', runId, 'results', table, 'csv')} download>CSV</a>
    </span>
  );
}
