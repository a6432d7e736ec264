import { useState } from 'react';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import type { Run, SqlResult } from '../api/types.ts';
import { useApi } from '../common/useApi.ts';
import { sqlTables } from './sqlTables.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { DatasetPicker } from '../data/DatasetPicker.tsx';
import { CodeEditor } from '../editor/CodeEditor.tsx';
import { DataGrid } from '../grid/DataGrid.tsx';
import type { WorkspaceContext } from '../workspace/WorkspacePage.tsx';
import { afterRun, EMPTY_RUN, isStale, type SqlRunState } from './sqlRun.ts';

const STARTER = `-- Read-only SQL over the dataset's tables (positions, curves, schedules) and run results (listed below)
SELECT currency, side, count(*) AS contracts, sum(notional) AS notional
FROM positions
GROUP BY ALL
ORDER BY notional DESC`;

export function SqlTab({ workspace, datasets, datasetId, setDatasetId }: WorkspaceContext) {
  const [sql, setSql] = useState(STARTER);
  const [state, setState] = useState<SqlRunState>(EMPTY_RUN);
  const { result, error } = state;
  const setError = (message: string) => setState((s) => ({ ...s, error: message }));
  const [running, setRunning] = useState(false);
  const [elapsed, setElapsed] = useState<number | null>(null);
  const runs = useApi(() => api.get<{ runs: Run[] }>(wsPath(workspace.id, 'runs')), workspace.id);

  async function run() {
    if (!datasetId) return setError('Pick a dataset first.');
    if (!sql.trim()) return setError('Write a query first.');
    setRunning(true);
    const started = performance.now();
    const answer = await api.post<SqlResult>(wsPath(workspace.id, 'sql'), { datasetId, sql, maxRows: 10_000 });
    setElapsed(performance.now() - started);
    setRunning(false);
    setState(afterRun(sql, answer));
  }

  return (
    <section className="sql">
      <div className="toolbar">
        <DatasetPicker datasets={datasets} value={datasetId} onChange={setDatasetId} />
        <span className="spacer" />
        <span className="muted">Ctrl+Enter runs</span>
        <button type="button" className="primary" onClick={() => void run()} disabled={running}>{running ? 'Running…' : 'Run'}</button>
      </div>
      <details className="sql-tables" data-testid="sql-tables">
        <summary className="muted">Tables</summary>
        {sqlTables(runs.data?.runs ?? [], datasetId).map((group) => (
          <p key={group.label} className="muted"><strong>{group.label}:</strong> <code>{group.tables.join(', ')}</code></p>
        ))}
      </details>
      <CodeEditor value={sql} language="sql" onChange={setSql} onRun={() => void run()} height={220} ariaLabel="SQL editor" />
      <ErrorBanner error={error} />
      {result ? (
        <>
          {isStale(state, sql) ? <p className="notice" data-testid="sql-stale">The SQL was edited: this result answers the previous query. Run to refresh it.</p> : null}
          <p className="muted" data-testid="sql-summary">
            {result.rows.length} {result.rows.length === 1 ? 'row' : 'rows'}{result.truncated ? ' (truncated: refine the query or add LIMIT)' : ''}
            {elapsed !== null ? ` · ${Math.round(elapsed)} ms` : ''}
          </p>
          <DataGrid columns={result.columns} rows={result.rows} height="calc(100vh - 460px)" />
        </>
      ) : null}
    </section>
  );
}
