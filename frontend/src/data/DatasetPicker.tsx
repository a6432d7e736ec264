import type { DatasetMeta } from '../api/types.ts';

export function DatasetPicker({ datasets, value, onChange }: { datasets: DatasetMeta[]; value: string | null; onChange: (id: string) => void }) {
  if (datasets.length === 0) return <span className="muted">No dataset yet: upload one in the Data tab.</span>;
  return (
    <label className="picker">
      Dataset
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value)} aria-label="Dataset">
        {datasets.map((d) => <option key={d.id} value={d.id}>{d.name} — as of {d.asOf}</option>)}
      </select>
    </label>
  );
}
