import { useCallback, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef } from 'ag-grid-community';
import { api, wsPath } from '../api/http.ts';
import { downloadCsv } from '../api/downloadCsv.ts';
import type { QueryResult, ResultColumn } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatAmount } from '../common/format.ts';
import { useApi } from '../common/useApi.ts';
import { DatasetPicker } from '../data/DatasetPicker.tsx';
import { columnDefs } from '../grid/columnDefs.ts';
import { gridTheme } from '../grid/gridSetup.ts';
import type { WorkspaceContext } from '../workspace/WorkspacePage.tsx';
import { GroupByPicker } from './GroupByPicker.tsx';
import { queryDatasource, type DatasetTable, type QueryBody } from './queryDatasource.ts';

const TABLES: DatasetTable[] = ['positions', 'curves', 'schedules'];
const BLOCK = 100;

export function ExploreTab({ workspace, datasets, datasetId, setDatasetId }: WorkspaceContext) {
  const [table, setTable] = useState<DatasetTable>('positions');
  const [groupBy, setGroupBy] = useState<string[]>([]);
  const [rowCount, setRowCount] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lastBody = useRef<QueryBody | null>(null);
  const queryUrl = datasetId ? wsPath(workspace.id, 'datasets', datasetId, 'query') : null;

  // The plain table's columns drive both the grid and the group-by choices.
  const schema = useApi<QueryResult | null>(
    async () => (queryUrl ? api.post<QueryResult>(queryUrl, { table, startRow: 0, endRow: 1 }) : { ok: true, value: null }),
    `${queryUrl}:${table}`,
  );
  const baseColumns: ResultColumn[] = schema.data?.columns ?? [];
  const gridColumns = useMemo<ColDef[]>(() => {
    if (groupBy.length === 0) return columnDefs(baseColumns);
    const keys = columnDefs(baseColumns.filter((c) => groupBy.includes(c.name)));
    keys.sort((a, b) => groupBy.indexOf(a.field ?? '') - groupBy.indexOf(b.field ?? ''));
    const measures = columnDefs([
      { name: 'count', type: 'BIGINT' }, { name: 'sum_notional', type: 'DOUBLE' },
      { name: 'wavg_rate', type: 'DOUBLE' }, { name: 'wavg_maturity_years', type: 'DOUBLE' },
    ], { filters: false });
    return [...keys, ...measures];
  }, [baseColumns, groupBy]);

  const datasource = useMemo(() => {
    if (!queryUrl) return null;
    return queryDatasource((body) => api.post<QueryResult>(queryUrl, body), table, groupBy, {
      onRows: (count, body) => { setRowCount(count); setError(null); lastBody.current = body; },
      onError: setError,
    });
  }, [queryUrl, table, groupBy]);

  const exportCsv = useCallback(async () => {
    if (!datasetId) return;
    const body = lastBody.current ?? { table, startRow: 0, endRow: BLOCK };
    const { startRow: _s, endRow: _e, ...rest } = body;
    const result = await downloadCsv(wsPath(workspace.id, 'datasets', datasetId, 'export'), rest, `${table}${groupBy.length ? '-by-' + groupBy.join('-') : ''}.csv`);
    if (!result.ok) setError(result.error.message);
  }, [datasetId, workspace.id, table, groupBy]);

  return (
    <section className="explore">
      <div className="toolbar">
        <DatasetPicker datasets={datasets} value={datasetId} onChange={(id) => { setDatasetId(id); setGroupBy([]); }} />
        <label className="picker">Table
          <select value={table} onChange={(e) => { setTable(e.target.value as DatasetTable); setGroupBy([]); }} aria-label="Table">
            {TABLES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        {table === 'positions' ? <GroupByPicker columns={baseColumns} value={groupBy} onChange={setGroupBy} /> : null}
        <span className="spacer" />
        <span className="row-count" data-testid="row-count">{rowCount === null ? '' : `${formatAmount(rowCount)} ${groupBy.length ? 'groups' : 'rows'}`}</span>
        <button type="button" onClick={() => void exportCsv()} disabled={!datasetId}>Export CSV</button>
      </div>
      <ErrorBanner error={error ?? schema.error} />
      {datasource && baseColumns.length > 0 ? (
        <div className="grid-box" style={{ height: 'calc(100vh - 210px)', minHeight: 360 }}>
          <AgGridReact
            key={`${queryUrl}:${table}:${groupBy.join(',')}`}
            theme={gridTheme}
            rowModelType="infinite"
            datasource={datasource}
            columnDefs={gridColumns}
            defaultColDef={{ minWidth: 90, resizable: true, sortable: true, floatingFilter: groupBy.length === 0 }}
            cacheBlockSize={BLOCK}
            maxBlocksInCache={50}
            enableCellTextSelection
            suppressFieldDotNotation
          />
        </div>
      ) : null}
    </section>
  );
}
