/**
 * Report mode: the published notebook as a manager reads it — prose, metrics, tables and charts
 * from the stored outputs, no code and no edit controls. Input cells change the figures for
 * `explore` and up (a run of what depends on them with `parameters`; nothing is saved); `view`
 * members read the published outputs as they are. Print-friendly; "Export HTML" saves one offline file.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { inputDefault, readInputSpec, type CellOutput, type InputValue, type NotebookDocument } from '@almready/notebooks';
import type { NotebookOutputsAnswer } from '@almready/contracts';
import { api, type ApiFailure } from '../../api/http.ts';
import { hasRole, type DatasetMeta, type Notebook, type Workspace } from '../../api/types.ts';
import { ErrorBanner } from '../../common/ErrorBanner.tsx';
import { formatDateTime } from '../../common/format.ts';
import { useApi } from '../../common/useApi.ts';
import { CellOutputView, type OutputContext } from './CellOutputView.tsx';
import { InputControl } from './InputControl.tsx';
import { cellHtml, reportHtml } from './reportHtml.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { useNotebookRun } from './useNotebookRun.ts';

export function ReportView({ workspace, notebookUrl, notebook, document: doc, datasets, onClose, onEdit }: {
  workspace: Workspace; notebookUrl: string; notebook: Notebook; document: NotebookDocument; datasets: DatasetMeta[];
  onClose: () => void; onEdit?: (() => void) | undefined;
}) {
  const canRun = hasRole(workspace.role, 'explore');
  // a view member is handed the published version itself; others read the draft they have open
  const version = notebook.version;
  const isPublished = notebook.publishedVersion === version;
  const [parameters, setParameters] = useState<Record<string, InputValue>>({});
  const [answer, setAnswer] = useState<NotebookOutputsAnswer | null>(null);
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const health = useApi(() => api.get<{ status: string; version: string }>('/api/health'), 'health');
  const body = useRef<HTMLDivElement>(null);

  const load = useCallback(async (params: Record<string, InputValue>) => {
    const search = new URLSearchParams({ version: String(version) });
    if (Object.keys(params).length) search.set('parameters', JSON.stringify(params));
    const result = await api.get<NotebookOutputsAnswer>(`${notebookUrl}/outputs?${search.toString()}`);
    if (result.ok) { setAnswer(result.value); setError(null); } else setError(result.error);
  }, [notebookUrl, version]);
  useEffect(() => { void load({}); }, [load]);

  const paramsRef = useRef(parameters);
  paramsRef.current = parameters;
  const run = useNotebookRun(notebookUrl, { onFinished: () => void load(paramsRef.current) });

  const outputs = useMemo(() => Object.fromEntries((answer?.cells ?? []).map((c) => [c.cellId, (c.output ?? null) as CellOutput | null])), [answer]);
  const query = useMemo(() => ({ version, parameters, datasetId: answer?.datasetId ?? null }), [version, parameters, answer?.datasetId]);
  const ctx = useMemo<OutputContext>(() => ({ notebookUrl, query, outputs }), [notebookUrl, query, outputs]);

  async function change(name: string, cellId: string, value: InputValue) {
    const next = { ...parameters, [name]: value };
    setParameters(next);
    const failure = await run.start({ target: 'cell-and-dependents', cellId, version, parameters: next });
    if (failure) setError(failure);
  }

  const dataset = datasets.find((d) => d.id === answer?.datasetId);
  const ranAt = Math.max(0, ...(answer?.cells ?? []).map((c) => c.createdAt ?? 0));
  const footer = {
    title: notebook.name,
    version,
    published: isPublished ? formatDateTime(notebook.updatedAt) : 'not published (draft)',
    dataset: dataset ? `${dataset.name} · as of ${dataset.asOf}` : answer?.datasetId ?? 'none',
    engineVersion: health.data?.version ?? '…',
    ranAt: ranAt > 0 ? formatDateTime(new Date(ranAt).toISOString()) : 'not run yet',
  };

  function exportHtml() {
    const sections = doc.cells.map((cell) => {
      const canvases = [...(body.current?.querySelectorAll(`[data-cell-id="${CSS.escape(cell.id)}"] canvas`) ?? [])] as HTMLCanvasElement[];
      const images = canvases.filter((c) => c.width > 0 && c.height > 0).map((c) => c.toDataURL('image/png'));
      return cellHtml(cell, outputs[cell.id], images);
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([reportHtml(sections, footer)], { type: 'text/html' }));
    link.download = `${notebook.name.replace(/[^A-Za-z0-9_-]+/g, '-')}-v${version}.html`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  return (
    <section className="notebook report" data-testid="report">
      <div className="section-head no-print">
        <h2>
          <button type="button" className="link" onClick={onClose}>Notebooks</button> / {notebook.name}
          {isPublished ? <span className="badge good" data-testid="report-version">published version {version}</span> : <span className="badge warn" data-testid="report-version">draft version {version} — not the published one{notebook.publishedVersion ? ` (v${notebook.publishedVersion} is)` : ''}</span>}
        </h2>
        <div className="buttons">
          {run.view.running ? <span className="muted">updating…</span> : null}
          <button type="button" onClick={exportHtml} disabled={!answer}>Export HTML</button>
          <button type="button" onClick={() => window.print()}>Print</button>
          {onEdit ? <button type="button" onClick={onEdit}>Back to the editor</button> : null}
        </div>
      </div>
      <h1 className="print-only">{notebook.name}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="report-body" ref={body}>
        {doc.cells.map((cell) => {
          const output = outputs[cell.id];
          const status = run.view.cells[cell.id];
          if (cell.kind === 'input') {
            const spec = readInputSpec(cell);
            if (!spec.ok || !cell.name) return null;
            const value = parameters[cell.name] ?? (output?.kind === 'input' ? output.value : inputDefault(spec.spec));
            return (
              <div key={cell.id} className="report-cell report-input" data-cell-id={cell.id}>
                <InputControl name={cell.name} spec={spec.spec} value={value} disabled={!canRun || run.view.running} datasets={datasets}
                  onChange={(v) => void change(cell.name!, cell.id, v)} />
              </div>
            );
          }
          if (!output) return null;
          return (
            <div key={cell.id} className="report-cell" data-cell-id={cell.id}>
              {status && status.status !== 'done' && status.status !== 'idle' ? <div className="no-print"><StatusBadge status={status} nameOf={(id) => id} /></div> : null}
              <CellOutputView cellId={cell.id} output={output} ctx={ctx} report />
            </div>
          );
        })}
        {answer && Object.values(outputs).every((o) => o === null) ? <p className="muted">This version has no stored outputs yet{canRun ? ': run it from the editor.' : '.'}</p> : null}
      </div>
      <footer className="report-footer" data-testid="report-footer">
        Version {footer.version} · published {footer.published} · dataset {footer.dataset} · engine {footer.engineVersion} · ran {footer.ranAt}
      </footer>
    </section>
  );
}
