import type { ColDef } from 'ag-grid-community';
import type { ValidationError } from '../api/types.ts';
import { DataGrid } from '../grid/DataGrid.tsx';
import { importErrorsCsv, saveText } from './importErrorsCsv.ts';

const DEFS: ColDef[] = [
  { field: 'file', headerName: 'File', filter: 'agTextColumnFilter', maxWidth: 140 },
  { field: 'row', headerName: 'Row', filter: 'agNumberColumnFilter', type: 'rightAligned', maxWidth: 110 },
  { field: 'column', headerName: 'Column', filter: 'agTextColumnFilter', maxWidth: 200 },
  { field: 'value', headerName: 'Value', filter: 'agTextColumnFilter', valueFormatter: (p) => (p.value == null ? '' : String(p.value)), maxWidth: 220 },
  { field: 'reason', headerName: 'Reason', filter: 'agTextColumnFilter', flex: 2 },
];

/**
 * The rows an import could not take: a refused upload (nothing imported) or the rows skipped by
 * "skip invalid rows" (the rest imported). Both list them in a grid and offer them as a CSV.
 */
export function ValidationErrors({ errors, total, message, skipped = false, fileName = 'import-errors.csv' }: {
  errors: ValidationError[]; total: number; message: string; skipped?: boolean; fileName?: string;
}) {
  const count = `${total} ${total === 1 ? 'error' : 'errors'} in total${total > errors.length ? ` (first ${errors.length} listed)` : ''}`;
  return (
    <div className="validation">
      <div className={skipped ? 'notice' : 'error'} role={skipped ? 'status' : 'alert'}>
        {message} — {count}.{skipped ? ' These rows were skipped; the valid rows were imported.' : ' Nothing was imported.'}
        {' '}<button type="button" className="link" onClick={() => saveText(importErrorsCsv(errors), fileName)}>Download the list (CSV)</button>
      </div>
      <DataGrid rows={errors as unknown as Record<string, unknown>[]} defs={DEFS} height={280} />
    </div>
  );
}
