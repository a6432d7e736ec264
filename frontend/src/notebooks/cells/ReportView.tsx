/**
 * Report mode: the published notebook as a manager reads it — prose, metrics, tables and charts
 * from the stored outputs, no code and no edit controls. Input cells change the figures for
 * `explore` and up (a run of what depends on them with `parameters`; nothing is saved); `view`
 * members read the published outputs as they are. The footer is the publication's own record
 * (`GET …/publications`: version, dataset, engine, when it ran); "Export HTML" downloads the
 * server's self-contained file of that publication (`…/report.html`). Print-friendly.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { inputDefault, readInputSpec, type CellOutput, type InputValue, type NotebookDocument } from '@almready/notebooks';
import type { NotebookOutputsAnswer, PublicationSummary, PublicationsAnswer } from '@almready/contracts';
import { api, type ApiFailure } from '../../api/http.ts';
import { hasRole, type DatasetMeta, type Notebook, type Workspace } from '../../api/types.ts';
import { ErrorBanner } from '../../common/ErrorBanner.tsx';
import { formatDateTime } from '../../common/format.ts';
import { useApi } from '../../common/useApi.ts';
import { CellOutputView, type OutputContext } from './CellOutputView.tsx';
import { InputControl } from './InputControl.tsx';
import { sqlCellsShownByGrids } from './reportCells.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { useNotebookRun } from './useNotebookRun.ts';

export function ReportView({ workspace, notebookUrl, notebook, document: doc, datasets, onClose, onEdit }: {
  workspace: Workspace; notebookUrl: string; notebook: Notebook; document: NotebookDocument; datasets: DatasetMeta[];
  onClose: () => void; onEdit?: (() => void) | undefined;
}) {
  const canRun = hasRole(workspace.role, 'explore');
  const publications = useApi(() => api.get<PublicationsAnswer>(`${notebookUrl}/publications`), `${notebookUrl}:${notebook.version}:${notebook.publishedVersion}`);
  const latest: PublicationSummary | null = publications.data?.publications.find((p) => p.latest) ?? null;
  // a view member is handed the published version itself; an editor's draft is that version only when nothing was saved since
  const version = notebook.version;
  const publication = latest && latest.version === version ? latest : null;
  const [parameters, setParameters] = useState<Record<string, InputValue>>({});
  const [answer, setAnswer] = useState<NotebookOutputsAnswer | null>(null);
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const paramsRef = useRef(parameters);
  paramsRef.current = parameters;

  // the published outputs are those of its dataset and inputs, whatever was uploaded since
  const base = useMemo(() => (publication ? { datasetId: publication.datasetId, parameters: publication.parameters as Record<string, InputValue> } : { datasetId: null, parameters: {} }), [publication]);
  const load = useCallback(async (changed: Record<string, InputValue>) => {
    const search = new URLSearchParams({ version: String(version) });
    if (base.datasetId) search.set('datasetId', base.datasetId);
    const params = { ...base.parameters, ...changed };
    if (Object.keys(params).length) search.set('parameters', JSON.stringify(params));
    const result = await api.get<NotebookOutputsAnswer>(`${notebookUrl}/outputs?${search.toString()}`);
    if (result.ok) { setAnswer(result.value); setError(null); } else setError(result.error);
  }, [notebookUrl, version, base]);
  useEffect(() => { if (!publications.loading) void load(paramsRef.current); }, [load, publications.loading]);
  const run = useNotebookRun(notebookUrl, { onFinished: () => void load(paramsRef.current) });

  const outputs = useMemo(() => Object.fromEntries((answer?.cells ?? []).map((c) => [c.cellId, (c.output ?? null) as CellOutput | null])), [answer]);
  const query = useMemo(() => ({ version, parameters: { ...base.parameters, ...parameters }, datasetId: answer?.datasetId ?? null }), [version, base, parameters, answer?.datasetId]);
  const ctx = useMemo<OutputContext>(() => ({ notebookUrl, query, outputs }), [notebookUrl, query, outputs]);

  async function change(name: string, cellId: string, value: InputValue) {
    const next = { ...parameters, [name]: value };
    setParameters(next);
    const failure = await run.start({ target: 'cell-and-dependents', cellId, version, parameters: { ...base.parameters, ...next }, ...(base.datasetId ? { datasetId: base.datasetId } : {}) });
    if (failure) setError(failure);
  }

  const shownByGrids = useMemo(() => sqlCellsShownByGrids(doc), [doc]);
  const dataset = datasets.find((d) => d.id === answer?.datasetId);
  const ranAt = Math.max(0, ...(answer?.cells ?? []).map((c) => c.createdAt ?? 0));
  const changedInputs = Object.keys(parameters).length > 0;
  const footer = publication && !changedInputs
    ? `Version ${publication.version} · published ${formatDateTime(publication.publishedAt)} by ${publication.publishedBy} · dataset ${publication.datasetName ?? publication.datasetId ?? 'none'}${publication.datasetAsOf ? ` (as of ${publication.datasetAsOf})` : ''} · engine ${publication.engineVersion} · ran ${formatDateTime(publication.ranAt)}`
    : `Version ${version}${publication ? ` · published ${formatDateTime(publication.publishedAt)}, shown with your inputs` : ' · draft, not published'} · dataset ${dataset ? `${dataset.name} (as of ${dataset.asOf})` : answer?.datasetId ?? 'none'}${publication ? ` · engine ${publication.engineVersion}` : ''} · ran ${ranAt > 0 ? formatDateTime(new Date(ranAt).toISOString()) : 'not yet'}`;
  const htmlUrl = publication ? `${notebookUrl}/report.html?publication=${encodeURIComponent(publication.id)}` : null;

  return (
    <section className="notebook report" data-testid="report">
      <div className="section-head no-print">
        <h2>
          <button type="button" className="link" onClick={onClose}>Notebooks</button> / {notebook.name}
          {publication
            ? <span className="badge good" data-testid="report-version">published version {version}</span>
            : <span className="badge warn" data-testid="report-version">draft version {version} — not published{latest ? ` (version ${latest.version} is)` : ''}</span>}
        </h2>
        <div className="buttons">
          {run.view.running ? <span className="muted">updating…</span> : null}
          {htmlUrl ? <a className="button" href={htmlUrl} download>Export HTML</a> : <button type="button" disabled title="Only a published version exports: publish it first">Export HTML</button>}
          <button type="button" onClick={() => window.print()}>Print</button>
          {onEdit ? <button type="button" onClick={onEdit}>Back to the editor</button> : null}
        </div>
      </div>
      <h1 className="print-only">{notebook.name}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="report-body">
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
          if (!output || shownByGrids.has(cell.id)) return null;
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
        {footer}
      </footer>
    </section>
  );
}
