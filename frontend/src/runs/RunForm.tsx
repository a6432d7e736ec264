import { useState, type FormEvent } from 'react';
import { REGULATORY_SCENARIO_IDS, type RunRequestBody } from '@almready/contracts';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import type { DatasetMeta, Run, RunSettings } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { DatasetPicker } from '../data/DatasetPicker.tsx';
import { DEFAULT_NMD, nmdAssumptions, NmdAssumptionsFieldset, type NmdForm } from './NmdAssumptions.tsx';

/** Supervisory scenario ids (methodology §4), the engine's list; base is always computed, Δ needs it. */
export const SCENARIOS = REGULATORY_SCENARIO_IDS;
/** US-style parallel sets (methodology §4), optional. */
export const PARALLEL_SETS = [100, 200, 300, 400].flatMap((bp) => [`parallel_up_${bp}`, `parallel_down_${bp}`]);

export function RunForm({ workspaceId, datasets, datasetId, setDatasetId, onStarted }: {
  workspaceId: string;
  datasets: DatasetMeta[];
  datasetId: string | null;
  setDatasetId: (id: string) => void;
  onStarted: (runId: string) => void;
}) {
  const [method, setMethod] = useState<RunSettings['method']>('full');
  const [floor, setFloor] = useState(true);
  const [scenarios, setScenarios] = useState<string[]>([...SCENARIOS]);
  const [tier1, setTier1] = useState('');
  const [horizon, setHorizon] = useState('12');
  const [useNmd, setUseNmd] = useState(true);
  const [nmd, setNmd] = useState<NmdForm>(DEFAULT_NMD);
  const [balanceSheet, setBalanceSheet] = useState<'constant' | 'runoff'>('constant');
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!datasetId) return setError('Pick a dataset to run on.');
    const tier1Value = tier1.trim() === '' ? undefined : Number(tier1);
    if (tier1Value !== undefined && !(tier1Value > 0)) return setError('Tier 1 capital must be a positive amount (or left empty).');
    const months = Number(horizon);
    if (!Number.isInteger(months) || months < 1 || months > 120) return setError('NII horizon must be a whole number of months between 1 and 120.');
    if (scenarios.length === 0) return setError('Pick at least one scenario.');
    const assumptions = useNmd ? nmdAssumptions(nmd) : undefined;
    if (assumptions && !assumptions.ok) return setError(assumptions.message);
    setBusy(true);
    const result = await api.post<{ run: Pick<Run, 'id' | 'status'> }>(wsPath(workspaceId, 'runs'), {
      datasetId, method, floor, scenarios: ['base', ...scenarios], niiHorizonMonths: months, balanceSheet,
      ...(tier1Value !== undefined ? { tier1: tier1Value } : {}),
      ...(assumptions?.ok ? { nmd: assumptions.value } : {}),
    } satisfies RunRequestBody);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    onStarted(result.value.run.id);
  }

  const toggle = (id: string) => setScenarios((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  return (
    <form className="run-form" onSubmit={submit} aria-label="New run">
      <h3>New calculation</h3>
      <DatasetPicker datasets={datasets} value={datasetId} onChange={setDatasetId} />
      <label>Method
        <select value={method} onChange={(e) => setMethod(e.target.value as typeof method)} aria-label="Method">
          <option value="full">Full (exact cash flows)</option>
          <option value="standardised">Standardised (19 buckets)</option>
        </select>
      </label>
      <label>Post-shock floor
        <select value={floor ? 'eu' : 'none'} onChange={(e) => setFloor(e.target.value === 'eu')} aria-label="Floor">
          <option value="eu">EU lower bound</option>
          <option value="none">None (BCBS)</option>
        </select>
      </label>
      <fieldset>
        <legend>Scenarios (base always included)</legend>
        {SCENARIOS.map((id) => (
          <label key={id} className="check"><input type="checkbox" checked={scenarios.includes(id)} onChange={() => toggle(id)} /> {id}</label>
        ))}
        {PARALLEL_SETS.map((id) => (
          <label key={id} className="check"><input type="checkbox" checked={scenarios.includes(id)} onChange={() => toggle(id)} /> {id}</label>
        ))}
      </fieldset>
      <fieldset>
        <legend><label className="check"><input type="checkbox" checked={useNmd} onChange={(e) => setUseNmd(e.target.checked)} /> Non-maturing deposit assumptions (otherwise they reprice overnight)</label></legend>
        {useNmd && <NmdAssumptionsFieldset form={nmd} onChange={setNmd} />}
      </fieldset>
      <label>NII balance sheet
        <select value={balanceSheet} onChange={(e) => setBalanceSheet(e.target.value as typeof balanceSheet)} aria-label="NII balance sheet">
          <option value="constant">Constant (like-for-like renewal)</option>
          <option value="runoff">Run-off</option>
        </select>
      </label>
      <label>Tier 1 capital<input inputMode="decimal" value={tier1} onChange={(e) => setTier1(e.target.value)} placeholder="e.g. 250000000" aria-label="Tier 1 capital" /></label>
      <label>NII horizon (months)<input inputMode="numeric" value={horizon} onChange={(e) => setHorizon(e.target.value)} aria-label="NII horizon" /></label>
      <ErrorBanner error={error} />
      <button type="submit" className="primary" disabled={busy || !datasetId}>{busy ? 'Starting…' : 'Start run'}</button>
    </form>
  );
}
