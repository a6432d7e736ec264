import { useState } from 'react';
import type { ColDef } from 'ag-grid-community';
import { api } from '../api/http.ts';
import type { AuditEvent } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatDateTime } from '../common/format.ts';
import { useApi } from '../common/useApi.ts';
import { DataGrid } from '../grid/DataGrid.tsx';

const PAGE = 200;
const DEFS: ColDef[] = [
  { field: 'at', headerName: 'When (UTC)', valueFormatter: (p) => formatDateTime(p.value as string), maxWidth: 170, sort: 'desc' },
  { field: 'username', headerName: 'User', filter: 'agTextColumnFilter', maxWidth: 160 },
  { field: 'action', headerName: 'Action', filter: 'agTextColumnFilter', maxWidth: 220 },
  { field: 'workspaceId', headerName: 'Workspace', filter: 'agTextColumnFilter', maxWidth: 200 },
  { field: 'detail', headerName: 'Detail', valueFormatter: (p) => (p.value == null ? '' : typeof p.value === 'string' ? p.value : JSON.stringify(p.value)), flex: 2 },
  { field: 'ip', headerName: 'IP', maxWidth: 150 },
];

/** The audit log, newest first, paged backwards with `before`. */
export function AuditPanel() {
  const [before, setBefore] = useState<string | null>(null);
  const events = useApi(
    () => api.get<{ events: AuditEvent[] }>(`/api/admin/audit?limit=${PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`),
    `audit:${before}`,
  );
  const list = events.data?.events ?? [];
  const oldest = list.length === PAGE ? list[list.length - 1] : undefined;
  return (
    <section>
      <div className="section-head">
        <h2>Audit log</h2>
        <div className="buttons">
          {before ? <button type="button" onClick={() => setBefore(null)}>Newest</button> : null}
          {oldest ? <button type="button" onClick={() => setBefore(String(oldest.id))}>Older</button> : null}
          <button type="button" onClick={events.reload}>Refresh</button>
        </div>
      </div>
      <ErrorBanner error={events.error} />
      <DataGrid rows={list as unknown as Record<string, unknown>[]} defs={DEFS} height={420} />
    </section>
  );
}
