import { useRef, useState, type FormEvent } from 'react';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import type { DatasetMeta } from '../api/types.ts';
import { uploadDataset, type UploadHandle } from '../api/uploadDataset.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatBytes } from '../common/format.ts';
import { MappingPicker, parseMappingJson, type MappingChoice } from './MappingPicker.tsx';
import { readValidationErrors } from './validationDetails.ts';
import { ValidationErrors } from './ValidationErrors.tsx';

function FilePicker({ label, accept, file, onPick, required }: { label: string; accept: string; file: File | null; onPick: (f: File | null) => void; required?: boolean }) {
  return (
    <label className="file-picker">
      <span>{label}{required ? ' *' : ''}</span>
      <input type="file" accept={accept} aria-label={label} onChange={(e) => onPick(e.target.files?.[0] ?? null)} />
      {file ? <span className="muted">{file.name} · {formatBytes(file.size)}</span> : null}
    </label>
  );
}

export function UploadWizard({ workspaceId, onUploaded, onClose }: { workspaceId: string; onUploaded: (d: DatasetMeta) => void; onClose: () => void }) {
  const [positions, setPositions] = useState<File | null>(null);
  const [curves, setCurves] = useState<File | null>(null);
  const [schedules, setSchedules] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [asOf, setAsOf] = useState('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [mappingChoice, setMappingChoice] = useState<MappingChoice>({ kind: 'auto' });
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const handle = useRef<UploadHandle | null>(null);
  const isZip = positions?.name.toLowerCase().endsWith('.zip') ?? false;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!positions) return setError('Pick the positions file (CSV, XLSX, Parquet or the bank ZIP export).');
    if (!isZip && !asOf) return setError('Enter the analysis date (as of): only the bank ZIP export carries its own.');
    let mapping: Record<string, string> | null = null;
    let mappingName: string | null = mappingChoice.kind === 'saved' ? mappingChoice.name : null;
    if (mappingChoice.kind === 'custom') {
      const parsed = parseMappingJson(mappingChoice.json);
      if (!parsed.ok) return setError(parsed.message);
      mapping = parsed.mapping;
      const saveAs = mappingChoice.saveAs.trim();
      if (saveAs) {
        const saved = await api.put(wsPath(workspaceId, 'mappings', saveAs), { mapping });
        if (!saved.ok) return setError(saved.error);
        mappingName = saveAs;
      }
    }
    setError(null);
    setProgress(0);
    const upload = uploadDataset(wsPath(workspaceId, 'datasets'), {
      positions, curves, schedules, name: name.trim() || positions.name.replace(/\.[^.]+$/, ''), asOf, skipInvalid, mapping, mappingName,
    }, setProgress);
    handle.current = upload;
    const result = await upload.done;
    handle.current = null;
    setProgress(null);
    if (result.ok) onUploaded(result.value.dataset);
    else setError(result.error);
  }

  const validation = typeof error === 'object' && error?.status === 422 ? readValidationErrors(error.details) : null;
  return (
    <form className="wizard" onSubmit={submit} aria-label="Upload dataset">
      <h3>Upload a dataset</h3>
      <div className="wizard-grid">
        <FilePicker label="Positions" accept=".csv,.xlsx,.parquet,.zip" file={positions} onPick={setPositions} required />
        <FilePicker label="Curves" accept=".csv,.xlsx" file={curves} onPick={setCurves} />
        <FilePicker label="Schedules" accept=".csv" file={schedules} onPick={setSchedules} />
        <label>Name<input value={name} onChange={(e) => setName(e.target.value)} placeholder={positions?.name ?? 'e.g. Balance 2025-06'} /></label>
        <label>As of<input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} aria-label="As of" disabled={isZip} /></label>
        <label className="check"><input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} /> Skip invalid rows (import the valid ones and list the rest)</label>
      </div>
      <MappingPicker workspaceId={workspaceId} choice={mappingChoice} onChange={setMappingChoice} />
      {isZip ? <p className="muted">Bank ZIP export: the analysis date is read from the files.</p> : null}
      {progress !== null ? (
        <div className="progress" aria-label="Upload progress">
          <progress value={progress} max={1} />
          <span>{progress < 1 ? `${Math.round(progress * 100)} % sent` : 'Validating on the server…'}</span>
        </div>
      ) : null}
      {validation && typeof error === 'object' && error ? <ValidationErrors errors={validation.errors} total={validation.total} message={error.message} /> : <ErrorBanner error={error} />}
      <div className="buttons">
        <button type="submit" className="primary" disabled={progress !== null}>Upload</button>
        {progress !== null ? <button type="button" onClick={() => handle.current?.abort()}>Cancel upload</button> : <button type="button" onClick={onClose}>Close</button>}
      </div>
    </form>
  );
}
