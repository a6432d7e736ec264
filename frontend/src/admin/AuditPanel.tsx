import { useEffect, useState } from 'react';
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
  { field: 'workspaceName', headerName: 'Workspace', filter: 'agTextColumnFilter', maxWidth: 220, valueGetter: (p) => workspaceLabel(p.data as AuditEvent), tooltipValueGetter: (p) => (p.data as AuditEvent | undefined)?.workspaceId ?? '' },
  { field: 'detail', headerName: 'Detail', valueFormatter: (p) => (p.value == null ? '' : typeof p.value === 'string' ? p.value : JSON.stringify(p.value)), flex: 2 },
  { field: 'ip', headerName: 'IP', maxWidth: 150 },
];

/** How often the newest page refreshes itself, so new events appear without a click. */
export const AUDIT_REFRESH_MS = 10_000;

/** The workspace as the log shows it: its name, with the short id when the name is unknown. */
export function workspaceLabel(event: Pick<AuditEvent, 'workspaceId' | 'workspaceName'> | undefined): string {
  if (!event?.workspaceId) return '';
  return event.workspaceName ?? `(unnamed) ${event.workspaceId.slice(0, 8)}`;
}

/** The audit log, newest first, paged backwards with `before`; the newest page refreshes itself. */
export function AuditPanel() {
  const [before, setBefore] = useState<string | null>(null);
  const events = useApi(
    () => api.get<{ events: AuditEvent[] }>(`/api/admin/audit?limit=${PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`),
    `audit:${before}`,
  );
  const list = events.data?.events ?? [];
  const { reload } = events;
  useEffect(() => {
    if (before) return undefined;
    const timer = setInterval(reload, AUDIT_REFRESH_MS);
    return () => clearInterval(timer);
  }, [before, reload]);
  const oldest = list.length === PAGE ? list[list.length - 1] : undefined;
  return (
    <section>
      <div className="section-head">
        <h2>Audit log</h2>
        <div className="buttons">
          {before ? <button type="button" onClick={() => setBefore(null)}>Newest</button> : null}
          {oldest ? <button type="button" onClick={() => setBefore(String(oldest.id))}>Older</button> : null}
          {!before ? <span className="muted">refreshes every {AUDIT_REFRESH_MS / 1000} s</span> : null}
          <button type="button" onClick={events.reload}>Refresh</button>
        </div>
      </div>
      <ErrorBanner error={events.error} />
      <DataGrid rows={list as unknown as Record<string, unknown>[]} defs={DEFS} height={420} />
    </section>
  );
}
