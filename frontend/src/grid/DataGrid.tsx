import { useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef } from 'ag-grid-community';
import './gridSetup.ts';
import { gridTheme } from './gridSetup.ts';
import { columnDefs } from './columnDefs.ts';
import type { ResultColumn } from '../api/types.ts';

/** A client-side grid for results that are already small (SQL answers, run tables, errors). */
export function DataGrid({ columns, rows, height = 360, defs }: {
  columns?: ResultColumn[];
  rows: Record<string, unknown>[];
  height?: number | string;
  defs?: ColDef[];
}) {
  const columnDefinitions = useMemo(() => defs ?? columnDefs(columns ?? []), [defs, columns]);
  return (
    <div className="grid-box" style={{ height }}>
      <AgGridReact
        theme={gridTheme}
        rowData={rows}
        columnDefs={columnDefinitions}
        // Given column definitions share the width by flex; server columns size to their content.
        defaultColDef={defs ? { minWidth: 90, flex: 1 } : { minWidth: 80 }}
        {...(defs ? {} : { autoSizeStrategy: { type: 'fitCellContents' as const } })}
        enableCellTextSelection
        suppressFieldDotNotation
      />
    </div>
  );
}
