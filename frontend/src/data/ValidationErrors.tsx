import type { ColDef } from 'ag-grid-community';
import type { ValidationError } from '../api/types.ts';
import { DataGrid } from '../grid/DataGrid.tsx';

const DEFS: ColDef[] = [
  { field: 'file', headerName: 'File', filter: 'agTextColumnFilter', maxWidth: 140 },
  { field: 'row', headerName: 'Row', filter: 'agNumberColumnFilter', type: 'rightAligned', maxWidth: 110 },
  { field: 'column', headerName: 'Column', filter: 'agTextColumnFilter', maxWidth: 200 },
  { field: 'value', headerName: 'Value', filter: 'agTextColumnFilter', valueFormatter: (p) => (p.value == null ? '' : String(p.value)), maxWidth: 220 },
  { field: 'reason', headerName: 'Reason', filter: 'agTextColumnFilter', flex: 2 },
];

export function ValidationErrors({ errors, total, message }: { errors: ValidationError[]; total: number; message: string }) {
  return (
    <div className="validation">
      <div className="error" role="alert">
        {message} — {total} {total === 1 ? 'error' : 'errors'} in total{total > errors.length ? ` (first ${errors.length} listed)` : ''}. Nothing was imported.
      </div>
      <DataGrid rows={errors as unknown as Record<string, unknown>[]} defs={DEFS} height={280} />
    </div>
  );
}
