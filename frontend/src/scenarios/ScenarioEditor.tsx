/**
 * The scenario editor: a currency's base and shocked zero curves of a dataset, where the quant
 * drags the shock's points or types bp per tenor. Every change asks the server for the engine's
 * own shocked curve (`POST …/scenarios/preview`), so the chart shows what a run will use; saving
 * adds the scenario to the notebook as a readable `ts` cell (scenarioCell.ts).
 */
import { useEffect, useMemo, useState } from 'react';
import type { ScenarioPreview, ShockPoint } from '@almready/contracts';
import { REGULATORY_SCENARIO_IDS } from '@almready/engine';
import type { NotebookCell, NotebookDocument } from '@almready/notebooks';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import type { DatasetMeta, Workspace } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { Modal } from '../common/Modal.tsx';
import { useApi } from '../common/useApi.ts';
import { DatasetPicker } from '../data/DatasetPicker.tsx';
import { chooseDataset } from '../workspace/datasetSelection.ts';
import { CurveChart } from './CurveChart.tsx';
import { readScenarioCell, scenarioCell, scenarioIdProblem } from './scenarioCell.ts';
import { addPoint, clampBp, flatPoints, tenorLabel, pointsFromPreview, removePoint, setBp } from './scenarioPoints.ts';
import './scenario-editor.css';

const PREVIEW_DELAY_MS = 150;
const SHAPES = [...REGULATORY_SCENARIO_IDS, 'parallel_up_100', 'parallel_down_100'];

type PreviewBody = { datasetId: string; currency?: string; floor: 'eu' | 'none'; floorable?: boolean } & ({ shocks: ShockPoint[] } | { scenario: string });

export function ScenarioEditor({ workspace, doc, onSave, onClose }: { workspace: Workspace; doc: NotebookDocument; onSave: (cell: NotebookCell) => void; onClose: () => void }) {
  const datasets = useApi(() => api.get<{ datasets: DatasetMeta[] }>(wsPath(workspace.id, 'datasets')), workspace.id);
  const [datasetId, setDatasetId] = useState<string | null>(null);
  const [currency, setCurrency] = useState<string | null>(null);
  const [shocks, setShocks] = useState<Record<string, ShockPoint[]>>({});
  const [floor, setFloor] = useState<'eu' | 'none'>('eu');
  const [floorable, setFloorable] = useState(true);
  const [preview, setPreview] = useState<ScenarioPreview | null>(null);
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const [id, setId] = useState('custom_shock');
  const [label, setLabel] = useState('');
  const [shape, setShape] = useState<string>(SHAPES[0]!);
  const [newTenor, setNewTenor] = useState('');
  /** the cell being edited when a saved scenario was reopened (saving replaces it) */
  const [editing, setEditing] = useState<string | null>(null);
  const saved = useMemo(() => doc.cells.flatMap((c) => { const read = readScenarioCell(c); return read ? [read] : []; }), [doc]);

  function reopen(cellId: string) {
    const found = saved.find((s) => s.cellId === cellId);
    if (!found) {
      setEditing(null);
      return;
    }
    const { draft } = found;
    setEditing(cellId);
    setId(draft.id);
    setLabel(draft.label ?? '');
    setFloorable(draft.floorable);
    setShocks(draft.shocks);
    const first = Object.keys(draft.shocks)[0];
    if (first) setCurrency(first);
  }

  useEffect(() => {
    if (datasets.data) setDatasetId((current) => chooseDataset(datasets.data!.datasets, current, null).selected);
  }, [datasets.data]);

  const points = currency ? shocks[currency] ?? flatPoints() : flatPoints();
  const setPoints = (next: ShockPoint[]) => currency && setShocks((all) => ({ ...all, [currency]: next }));

  const ask = (body: PreviewBody) => api.post<{ preview: ScenarioPreview }>(wsPath(workspace.id, 'scenarios', 'preview'), body);

  // The engine's shocked curve for what is drawn, a moment after the last change.
  const pointsKey = JSON.stringify(points);
  useEffect(() => {
    if (!datasetId) return;
    let live = true;
    const timer = setTimeout(async () => {
      const result = await ask({ datasetId, ...(currency ? { currency } : {}), shocks: points, floor, floorable });
      if (!live) return;
      if (!result.ok) return setError(result.error);
      setError(null);
      setPreview(result.value.preview);
      if (!currency) setCurrency(result.value.preview.currency);
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [datasetId, currency, pointsKey, floor, floorable]);

  async function copyShape() {
    if (!datasetId || !currency) return;
    const result = await ask({ datasetId, currency, scenario: shape, floor: 'none' });
    if (!result.ok) return setError(result.error);
    setPoints(pointsFromPreview(points, result.value.preview.points));
  }

  function addTenor() {
    const t = Number(newTenor);
    if (!Number.isFinite(t) || t <= 0 || t > 100) return setError('A tenor is a number of years above 0 and at most 100 (0.25 for 3 months).');
    const next = addPoint(points, { tenorYears: t, bp: 0 });
    if (!next) return setError(`There is already a point at ${t} years.`);
    setPoints(next);
    setNewTenor('');
    setError(null);
  }

  // a reopened scenario may keep its own id: its cell is the one being replaced
  const idProblem = scenarioIdProblem(id, editing ? { ...doc, cells: doc.cells.filter((c) => c.id !== editing) } : doc);
  const drawn = useMemo(() => Object.fromEntries(Object.entries(shocks).filter(([, p]) => p.some((x) => x.bp !== 0))), [shocks]);
  const nothingDrawn = Object.keys(drawn).length === 0;

  function save() {
    if (idProblem || nothingDrawn) return;
    onSave(scenarioCell(doc, { id, floorable, shocks: drawn, ...(label.trim() ? { label: label.trim() } : {}) }, undefined, editing ?? undefined));
  }

  return (
    <Modal title="Scenario editor" onClose={onClose} wide>
      <div className="scenario-editor">
        <div className="toolbar">
          <DatasetPicker datasets={datasets.data?.datasets ?? []} value={datasetId} onChange={(d) => { setDatasetId(d); setPreview(null); }} />
          <label className="picker">Currency
            <select aria-label="Currency" value={currency ?? ''} onChange={(e) => setCurrency(e.target.value)}>
              {(preview?.currencies ?? (currency ? [currency] : [])).map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
          <label className="picker">Floor
            <select aria-label="Floor" value={floor} onChange={(e) => setFloor(e.target.value as 'eu' | 'none')}>
              <option value="eu">EU lower bound</option><option value="none">none</option>
            </select>
          </label>
          <label className="check"><input type="checkbox" checked={floorable} onChange={(e) => setFloorable(e.target.checked)} /> floorable</label>
          <span className="spacer" />
          {saved.length > 0 ? (
            <label className="picker">Saved scenario
              <select aria-label="Saved scenario" value={editing ?? ''} onChange={(e) => reopen(e.target.value)}>
                <option value="">(new)</option>
                {saved.map((s) => <option key={s.cellId} value={s.cellId}>{s.draft.id}</option>)}
              </select>
            </label>
          ) : null}
          <label className="picker">Start from
            <select aria-label="Start from" value={shape} onChange={(e) => setShape(e.target.value)}>{SHAPES.map((s) => <option key={s} value={s}>{s}</option>)}</select>
          </label>
          <button type="button" onClick={() => void copyShape()}>Copy its shape</button>
          <button type="button" onClick={() => setPoints(flatPoints())}>Reset to 0</button>
        </div>
        <ErrorBanner error={error ?? datasets.error} onClose={() => setError(null)} />
        {preview ? (
          <>
            <p className="muted">{preview.curveId}: drag a point or type its shift; the shocked line is the engine's curve (shock after interpolation{floor === 'eu' && floorable ? ', EU lower bound' : ''}).</p>
            <CurveChart curve={preview.points} shocks={points} currency={preview.currency} onDrag={(i, bp) => setPoints(setBp(points, i, clampBp(bp)))} />
          </>
        ) : <p className="muted">{datasetId ? 'Loading the curves…' : 'Choose a dataset.'}</p>}
        <div className="two-columns">
          <div>
            <h3>Shift by tenor (bp)</h3>
            <table className="table compact" aria-label="Shock points">
              <thead><tr><th className="num">Tenor (years)</th><th className="num">bp</th><th /></tr></thead>
              <tbody>
                {points.map((p, i) => (
                  <tr key={p.tenorYears}>
                    <td className="num">{p.tenorYears}</td>
                    <td className="num"><input type="number" step="1" value={p.bp} aria-label={`bp at ${p.tenorYears} years`}
                      onChange={(e) => { const bp = Number(e.target.value); if (e.target.value !== '' && Number.isFinite(bp)) setPoints(setBp(points, i, clampBp(bp))); }} /></td>
                    <td><button type="button" className="link danger" disabled={points.length === 1} onClick={() => setPoints(removePoint(points, i))}>Remove</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="inline-form">
              <input aria-label="New tenor in years" placeholder="tenor, years" value={newTenor} onChange={(e) => setNewTenor(e.target.value)} />
              <button type="button" onClick={addTenor}>Add point</button>
            </div>
          </div>
          <div>
            <h3>The engine's curves</h3>
            <table className="table compact" aria-label="Curve figures">
              <thead><tr><th className="num">Tenor</th><th className="num">Base</th><th className="num">Shocked</th><th className="num">Shift (bp)</th></tr></thead>
              <tbody>
                {(preview?.points ?? []).map((p) => (
                  <tr key={p.tenorYears} data-testid={`figure-${p.tenorYears}`}>
                    <td className="num">{tenorLabel(p.tenorYears)}</td>
                    <td className="num">{(p.base * 100).toFixed(4)}%</td>
                    <td className="num">{(p.shocked * 100).toFixed(4)}%</td>
                    <td className="num">{((p.shocked - p.base) * 10_000).toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <div className="inline-form">
          <label className="picker">Scenario id <input aria-label="Scenario id" value={id} onChange={(e) => setId(e.target.value)} /></label>
          <label className="picker">Label <input aria-label="Scenario label" value={label} placeholder={id} onChange={(e) => setLabel(e.target.value)} /></label>
          <button type="button" className="primary" disabled={!!idProblem || nothingDrawn} onClick={save}>{editing ? 'Save into its cell' : 'Add to the notebook'}</button>
          {idProblem ? <span className="muted">{idProblem}</span> : nothingDrawn ? <span className="muted">Every shift is 0: draw a shock first.</span> : null}
        </div>
      </div>
    </Modal>
  );
}
