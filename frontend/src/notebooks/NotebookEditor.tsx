import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CELL_KINDS, isComputingKind, parseNotebook, type CellKind, type CellOutput, type ExecutionEvent, type InputValue, type NotebookDocument } from '@almready/notebooks';
import { publishFailureSchema, type NotebookOutputsAnswer, type PublishAnswer, type StartExecutionBody } from '@almready/contracts';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import { hasRole, type DatasetMeta, type Notebook, type QueryResult, type Workspace } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { useApi } from '../common/useApi.ts';
import { markEdited, statusesFromStored, type CellStatus } from './cells/cellStatus.ts';
import type { OutputContext } from './cells/CellOutputView.tsx';
import { cellDeclarations, sqlTables, type SqlTable } from './cells/languageModel.ts';
import { cellPath, type CellProblem } from './cells/languageModel.ts';

/** The Monaco side of the languages, loaded only by the editor (report mode never needs it). */
const languages = () => import('./cells/notebookLanguages.ts');
import { NotebookCellView } from './cells/NotebookCellView.tsx';
import { ReportView } from './cells/ReportView.tsx';
import { useNotebookRun } from './cells/useNotebookRun.ts';
import { addCell, moveCell, removeCell, setNotebookLazy, updateCell } from './notebookEdits.ts';
import './cells/notebook.css';
import { hasLocalEdits } from './lifecycle/autosaveState.ts';
import { NotebookLifecycleBar } from './lifecycle/NotebookLifecycleBar.tsx';
import { useAutosave } from './lifecycle/useAutosave.ts';
import { upsertCell } from '../scenarios/scenarioCell.ts';

const IDLE: CellStatus = { status: 'idle' };
const DATASET_TABLES = ['positions', 'curves', 'schedules'] as const;

export function NotebookEditor({ workspace, notebookId, onChanged, onClose }: { workspace: Workspace; notebookId: string; onChanged: () => void; onClose: () => void }) {
  const url = wsPath(workspace.id, 'notebooks', notebookId);
  const loaded = useApi(() => api.get<{ notebook: Notebook }>(url), url);
  const canEdit = hasRole(workspace.role, 'edit');
  const canRun = hasRole(workspace.role, 'explore');
  const [doc, setDoc] = useState<NotebookDocument | null>(null);
  const [meta, setMeta] = useState<Notebook | null>(null);
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const [newKind, setNewKind] = useState<CellKind>('sql');
  const [report, setReport] = useState(!canRun);
  const [publishing, setPublishing] = useState(false);
  const [outputs, setOutputs] = useState<Record<string, CellOutput | null>>({});
  const [stored, setStored] = useState<NotebookOutputsAnswer | null>(null);
  const [parameters, setParameters] = useState<Record<string, InputValue>>({});
  const [problems, setProblems] = useState<Record<string, CellProblem[]>>({});
  const [datasetTables, setDatasetTables] = useState<SqlTable[]>([]);
  const datasets = useApi(async () => (canRun ? api.get<{ datasets: DatasetMeta[] }>(wsPath(workspace.id, 'datasets')) : { ok: true as const, value: { datasets: [] } }), `${workspace.id}:${canRun}`);
  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const notebook = loaded.data?.notebook;
    if (!notebook) return;
    const parsed = parseNotebook(notebook.content);
    setMeta(notebook);
    if (parsed.ok) { setDoc(parsed.document); setError(null); } else setError(parsed.reason);
  }, [loaded.data]);

  /** The stored outputs of a saved version at these inputs (nothing runs). */
  const loadOutputs = useCallback(async (version: number, params: Record<string, InputValue>, resetStates: boolean) => {
    const search = new URLSearchParams({ version: String(version) });
    if (Object.keys(params).length > 0) search.set('parameters', JSON.stringify(params));
    const result = await api.get<NotebookOutputsAnswer>(`${url}/outputs?${search.toString()}`);
    if (!result.ok) return setError(result.error);
    setStored(result.value);
    setOutputs(Object.fromEntries(result.value.cells.map((c) => [c.cellId, (c.output ?? null) as CellOutput | null])));
    if (resetStates) {
      run.setCells(() => statusesFromStored(result.value.cells.map((c) => c.cellId), result.value.cells));
      const inFlight = result.value.executions.find((e) => e.status === 'running');
      if (inFlight) run.attach(inFlight.id); // opened while it runs: its events replay from the start
    }
  }, [url]);

  const onEvent = useCallback((event: ExecutionEvent) => {
    if (event.type === 'failed') {
      const cell = doc?.cells.find((c) => c.id === event.cellId);
      if (cell) void languages().then((l) => l.setServerMarker(cellPath(cell.id, cell.kind), event));
    }
    if (event.type === 'done' && meta) {
      const cell = doc?.cells.find((c) => c.id === event.cellId);
      if (cell) void languages().then((l) => l.setServerMarker(cellPath(cell.id, cell.kind), null));
      // outputs show as cells finish, at most a few times a second
      if (refresh.current) clearTimeout(refresh.current);
      refresh.current = setTimeout(() => void loadOutputs(meta.version, parameters, false), 250);
    }
  }, [doc, meta, parameters, loadOutputs]);
  const onFinished = useCallback(() => {
    if (refresh.current) clearTimeout(refresh.current);
    if (meta) void loadOutputs(meta.version, parameters, false);
  }, [meta, parameters, loadOutputs]);
  const run = useNotebookRun(url, { onEvent, onFinished });

  // on open (and after a reload) the last stored outputs show at once; a save of ours changes no state shown
  const openedVersion = loaded.data?.notebook.version;
  useEffect(() => {
    if (openedVersion !== undefined && canRun) void loadOutputs(openedVersion, parameters, true);
    // parameters are applied by the run that changes them, not here
  }, [openedVersion, canRun, loadOutputs]);

  // the languages know the notebook's names and tables
  useEffect(() => {
    if (!doc || report) return;
    const dts = cellDeclarations(doc.cells, outputs);
    const tables = sqlTables(doc.cells, outputs, datasetTables);
    void languages().then((l) => l.setNotebookLanguageModel(dts, tables));
  }, [doc, outputs, datasetTables, report]);

  const datasetId = stored?.datasetId ?? null;
  useEffect(() => {
    if (!canRun || !datasetId || report) return;
    let live = true;
    void Promise.all(DATASET_TABLES.map((table) => api.post<QueryResult>(wsPath(workspace.id, 'datasets', datasetId, 'query'), { table, startRow: 0, endRow: 1 }))).then((answers) => {
      if (!live) return;
      setDatasetTables(answers.flatMap((a, i) => (a.ok ? [{ name: DATASET_TABLES[i]!, columns: a.value.columns, detail: 'dataset table' }] : [])));
    });
    return () => { live = false; };
  }, [canRun, datasetId, workspace.id, report]);

  useEffect(() => {
    if (report) return;
    let listener: { dispose: () => void } | null = null;
    let live = true;
    void languages().then((l) => {
      if (!live) return;
      listener = l.onMarkersChanged((paths) => {
        setProblems((before) => {
          const next = { ...before };
          for (const path of paths) next[path] = l.cellProblems(path);
          return next;
        });
      });
    });
    return () => { live = false; listener?.dispose(); };
  }, [report]);

  // Lifecycle (lifecycle/): autosave with the 409 choice, drafts in storage, history, scenario editor.
  const autosave = useAutosave({
    url, notebookId, doc, loaded: loaded.data?.notebook ?? null, enabled: canEdit, setDoc,
    onNotebook: (notebook) => { setMeta(notebook); onChanged(); },
  });
  const dirty = autosave.state ? hasLocalEdits(autosave.state) : false;

  // The document as the last edit left it: a key binding can run before React renders that edit.
  const latestDoc = useRef(doc);
  latestDoc.current = doc;
  const edit = (next: NotebookDocument, changedCell?: string) => {
    latestDoc.current = next;
    setDoc(next);
    if (changedCell) run.setCells((cells) => markEdited({ executionId: null, running: false, lastSeq: -1, cells }, changedCell).cells as Record<string, CellStatus>);
  };

  /** Publishing runs the saved version and freezes it with its outputs; a cell that does not finish refuses it, by name. */
  async function publish() {
    if (dirty) return setError('Your changes are not saved yet: wait for the autosave (or resolve the conflict) before publishing.');
    setPublishing(true);
    const result = await api.post<PublishAnswer>(`${url}/publish`, {});
    setPublishing(false);
    if (!result.ok) {
      const failure = publishFailureSchema.safeParse(result.error.details);
      if (!failure.success) return setError(result.error);
      return setError(`${result.error.message} ${failure.data.cells.map((c) => `${c.name ?? c.cellId}: ${c.status}${c.message ? ` (${c.message})` : ''}`).join('; ')}`);
    }
    setMeta(result.value.notebook);
    setError(null);
    onChanged();
  }

  /** Runs a saved version: unsaved edits are saved first, so what runs is what is on screen. */
  async function execute(target: StartExecutionBody['target'], cellId?: string, params: Record<string, InputValue> = parameters) {
    if (!meta) return;
    if (run.view.running) return setError('An execution is running: wait for it to finish, or cancel it, before running again.');
    let version = meta.version;
    if (canEdit) {
      const saved = await autosave.saveForRun(latestDoc.current ?? undefined);
      if (saved === null) return setError('Your changes could not be saved (see the save status above), so nothing ran: the server runs saved versions only.');
      version = saved;
    }
    const failure = await run.start({ target, version, ...(cellId ? { cellId } : {}), ...(Object.keys(params).length ? { parameters: params } : {}) });
    setError(failure);
  }

  function setInput(name: string, cellId: string, value: InputValue) {
    const next = { ...parameters, [name]: value };
    setParameters(next);
    void execute('cell-and-dependents', cellId, next);
  }

  const names = useMemo(() => new Map((doc?.cells ?? []).map((c, i) => [c.id, c.name ?? `cell ${i + 1}`])), [doc]);
  const nameOf = useCallback((id: string) => names.get(id) ?? id, [names]);
  const outputQuery = useMemo(() => ({ version: stored?.version ?? meta?.version ?? 1, parameters, datasetId }), [stored?.version, meta?.version, parameters, datasetId]);
  const ctx = useMemo<OutputContext>(() => ({ notebookUrl: url, query: outputQuery, outputs }), [url, outputQuery, outputs]);
  const values = useMemo(() => {
    const out: Record<string, unknown> = {};
    for (const output of Object.values(outputs)) if (output?.kind === 'ts') for (const [k, v] of Object.entries(output.values)) if (v === null || typeof v !== 'object') out[k] = v;
    for (const cell of doc?.cells ?? []) if (cell.kind === 'input' && cell.name) { const o = outputs[cell.id]; if (o?.kind === 'input') out[cell.name] = parameters[cell.name] ?? o.value; }
    return out;
  }, [outputs, doc, parameters]);

  if (loaded.error) return <ErrorBanner error={loaded.error} />;
  if (report && meta && doc) {
    return <ReportView workspace={workspace} notebookUrl={url} notebook={meta} document={doc} datasets={datasets.data?.datasets ?? []}
      onClose={onClose} onEdit={canRun ? () => setReport(false) : undefined} />;
  }
  const running = run.view.running;
  return (
    <section className="notebook">
      <div className="section-head">
        <h2>
          <button type="button" className="link" onClick={onClose}>Notebooks</button> / {meta?.name ?? '…'}
          {meta ? <span className="muted"> · draft version {meta.version}{dirty ? ' · unsaved changes' : ''}</span> : null}
          {meta?.published ? <span className="badge good">published{meta.publishedVersion ? ` v${meta.publishedVersion}` : ''}</span> : null}
        </h2>
        <div className="buttons">
          {canRun ? <button type="button" className="primary" onClick={() => void execute('notebook')} disabled={running || !doc}>Run all</button> : null}
          {running ? <button type="button" onClick={() => void run.cancel().then(setError)}>Cancel</button> : null}
          {canEdit && doc ? (
            <label className="check" title="Lazy: an edit marks dependent cells stale instead of re-running them">
              <input type="checkbox" checked={doc.lazy === true} onChange={(e) => edit(setNotebookLazy(doc, e.target.checked))} /> lazy notebook
            </label>
          ) : null}
          <button type="button" onClick={() => setReport(true)} disabled={!doc}>Report view</button>
          {canEdit ? (
            <>
              <NotebookLifecycleBar autosave={autosave} url={url} workspace={workspace} canEdit={canEdit} doc={doc} onSaveCell={(cell) => doc && edit(upsertCell(doc, cell))} />
              <button type="button" onClick={() => void publish()} disabled={publishing || running}>{publishing ? 'Publishing…' : 'Publish this version'}</button>
            </>
          ) : null}
        </div>
      </div>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {run.view.finished?.error ? <div className="error" role="alert">The execution could not run: {run.view.finished.error}</div> : null}
      <ol className="cells">
        {(doc?.cells ?? []).map((cell, index) => (
          <NotebookCellView key={cell.id} cell={cell} index={index} status={run.view.cells[cell.id] ?? IDLE} output={outputs[cell.id]}
            problems={cell.kind === 'ts' || cell.kind === 'sql' ? problems[cellPath(cell.id, cell.kind)] ?? [] : []}
            ctx={ctx} canEdit={canEdit} canRun={canRun} busy={running} nameOf={nameOf} values={values}
            inputValue={cell.name !== undefined ? parameters[cell.name] : undefined} datasets={datasets.data?.datasets ?? []}
            actions={{
              change: (change) => edit(updateCell(latestDoc.current!, cell.id, change), change.source !== undefined || change.kind !== undefined ? cell.id : undefined),
              move: (offset) => edit(moveCell(latestDoc.current!, cell.id, offset)),
              remove: () => edit(removeCell(latestDoc.current!, cell.id)),
              run: () => void execute(isComputingKind(cell.kind) || cell.kind === 'input' ? 'cell-and-dependents' : 'cell', cell.id),
              setInput: (value) => { if (cell.name) setInput(cell.name, cell.id, value); },
            }} />
        ))}
      </ol>
      {doc && doc.cells.length === 0 ? <p className="muted">This notebook has no cells yet.</p> : null}
      {canEdit && doc ? (
        <div className="inline-form">
          <select value={newKind} onChange={(e) => setNewKind(e.target.value as CellKind)} aria-label="New cell kind">
            {CELL_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
          <button type="button" onClick={() => edit(addCell(doc, newKind))}>Add cell</button>
        </div>
      ) : null}
    </section>
  );
}
