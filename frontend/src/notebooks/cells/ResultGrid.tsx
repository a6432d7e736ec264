/**
 * A table output in AG Grid. A stored table (an SQL result, a ts cell's table, a run table) uses
 * the infinite row model over the notebook's page route — sorted and filtered on the server, so a
 * million rows scroll without being loaded; rows a ts cell handed over as values are a client grid.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, IDatasource, IGetRowsParams } from 'ag-grid-community';
import type { TableHandle, ValueFormat } from '@almready/notebooks';
import { api } from '../../api/http.ts';
import type { QueryResult } from '../../api/types.ts';
import { columnDefs, columnKind } from '../../grid/columnDefs.ts';
import { gridTheme } from '../../grid/gridSetup.ts';
import { csvText, pageUrl, type PageQuery, type TableSource } from './outputPaging.ts';
import { formatValue, guessFormat } from './valueFormat.ts';

const BLOCK = 100;
const EXPORT_PAGE = 10_000;
const count = new Intl.NumberFormat('en-GB');
/** Header, floating filters and up to 12 rows of 30 px, plus the horizontal scrollbar: small results take little room. */
const gridHeight = (rows: number) => 96 + 30 * Math.max(1, Math.min(rows, 12));

export interface GridLook { columns?: string[] | undefined; formats?: Record<string, ValueFormat> | undefined; sort?: { column: string; direction: 'asc' | 'desc' }[] | undefined }

function definitions(columns: { name: string; type: string }[], look: GridLook): ColDef[] {
  const shown = look.columns ? look.columns.map((n) => columns.find((c) => c.name === n)).filter((c): c is { name: string; type: string } => c !== undefined) : columns;
  return columnDefs(shown).map((def) => {
    const column = shown.find((c) => c.name === def.field)!;
    const format = look.formats?.[column.name] ?? guessFormat(column.name, columnKind(column.type) === 'number');
    const sort = look.sort?.find((s) => s.column === column.name);
    return { ...def, ...(format ? { valueFormatter: (p: { value: unknown }) => formatValue(p.value, format) } : {}), ...(sort ? { sort: sort.direction } : {}) };
  });
}

function download(name: string, text: string) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function StoredTableGrid({ handle, source, notebookUrl, query, look = {}, label }: {
  handle: TableHandle; source: TableSource | null; notebookUrl: string; query: PageQuery; look?: GridLook; label: string;
}) {
  const [rowCount, setRowCount] = useState<number>(handle.rowCount);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const last = useRef<Pick<IGetRowsParams, 'sortModel' | 'filterModel'>>({ sortModel: [], filterModel: {} });
  const defs = useMemo(() => definitions(handle.columns, look), [handle, look]);
  const datasource = useMemo<IDatasource>(() => ({
    getRows(params) {
      last.current = { sortModel: params.sortModel, filterModel: params.filterModel };
      const plain = params.startRow === 0 && params.sortModel.length === 0 && Object.keys(params.filterModel ?? {}).length === 0;
      // the first page travels with the output: no round trip for what is already on screen
      if (plain && (handle.firstPage.length >= params.endRow || handle.firstPage.length === handle.rowCount)) {
        params.successCallback(handle.firstPage.slice(0, params.endRow), handle.rowCount);
        setRowCount(handle.rowCount);
        return;
      }
      if (!source) { params.failCallback(); setError('This table is no longer stored; run the cell again.'); return; }
      void api.get<QueryResult>(pageUrl(notebookUrl, source, query, params)).then((result) => {
        if (!result.ok) { setError(result.error.message); params.failCallback(); return; }
        setError(null);
        setRowCount(result.value.rowCount);
        params.successCallback(result.value.rows, result.value.rowCount);
      });
    },
  }), [handle, source, notebookUrl, query]);

  const exportCsv = useCallback(async () => {
    const columns = (look.columns ?? handle.columns.map((c) => c.name));
    if (!source) return;
    const rows: Record<string, unknown>[] = [];
    for (let start = 0; start < rowCount; start += EXPORT_PAGE) {
      setExporting(`${count.format(start)} of ${count.format(rowCount)} rows…`);
      const result = await api.get<QueryResult>(pageUrl(notebookUrl, source, query, { startRow: start, endRow: Math.min(rowCount, start + EXPORT_PAGE), ...last.current }));
      if (!result.ok) { setError(result.error.message); setExporting(null); return; }
      rows.push(...result.value.rows);
      if (result.value.rows.length === 0) break;
    }
    setExporting(null);
    download(`${handle.name}.csv`, csvText(columns, rows));
  }, [handle, look.columns, source, notebookUrl, query, rowCount]);

  return (
    <div className="nb-grid">
      <div className="nb-grid-bar">
        <span className="muted" data-testid="grid-row-count">{count.format(rowCount)} rows</span>
        <span className="muted">{handle.name}</span>
        <span className="spacer" />
        {exporting ? <span className="muted">exporting {exporting}</span> : null}
        <button type="button" className="link no-print" onClick={() => void exportCsv()} disabled={!source || exporting !== null}>Export CSV</button>
      </div>
      {error ? <div className="cell-error" role="status">{error}</div> : null}
      <div className="grid-box" style={{ height: gridHeight(rowCount) }} aria-label={label}>
        <AgGridReact theme={gridTheme} rowModelType="infinite" datasource={datasource} columnDefs={defs}
          defaultColDef={{ minWidth: 90, resizable: true, sortable: true, floatingFilter: true }}
          cacheBlockSize={BLOCK} maxBlocksInCache={50} enableCellTextSelection suppressFieldDotNotation autoSizeStrategy={FIT_CONTENTS} />
      </div>
    </div>
  );
}

/** Columns as wide as their header and first rendered rows: labels such as "EVE (worst of six, …)" are read whole, not cut at 200 px. */
const FIT_CONTENTS = { type: 'fitCellContents' } as const;

/** Rows a ts cell exported as data (small by nature: they crossed the sandbox as JSON). */
export function RowsGrid({ rows, look = {}, label }: { rows: Record<string, unknown>[]; look?: GridLook; label: string }) {
  const columns = useMemo(() => {
    const names: string[] = [];
    for (const row of rows.slice(0, 200)) for (const k of Object.keys(row)) if (!names.includes(k)) names.push(k);
    return names.map((name) => ({ name, type: rows.some((r) => typeof r[name] === 'number') ? 'DOUBLE' : 'VARCHAR' }));
  }, [rows]);
  const defs = useMemo(() => definitions(columns, look), [columns, look]);
  const ref = useRef<AgGridReact>(null);
  return (
    <div className="nb-grid">
      <div className="nb-grid-bar">
        <span className="muted" data-testid="grid-row-count">{count.format(rows.length)} rows</span>
        <span className="spacer" />
        <button type="button" className="link no-print" onClick={() => download('rows.csv', csvText(columns.map((c) => c.name), rows))}>Export CSV</button>
      </div>
      <div className="grid-box" style={{ height: gridHeight(rows.length) }} aria-label={label}>
        <AgGridReact ref={ref} theme={gridTheme} rowData={rows} columnDefs={defs}
          defaultColDef={{ minWidth: 90, resizable: true, sortable: true, filter: true, floatingFilter: true }} enableCellTextSelection suppressFieldDotNotation autoSizeStrategy={FIT_CONTENTS}
          onRowDataUpdated={(e) => e.api.autoSizeAllColumns()} />
      </div>
    </div>
  );
}
