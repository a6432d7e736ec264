import type { ResultColumn } from '../api/types.ts';

/** Picks the columns to group by; an empty choice means plain rows. Order of picking is kept. */
export function GroupByPicker({ columns, value, onChange }: { columns: ResultColumn[]; value: string[]; onChange: (groupBy: string[]) => void }) {
  const available = columns.filter((c) => !value.includes(c.name));
  return (
    <div className="group-by" aria-label="Group by">
      <span>Group by</span>
      {value.map((name) => (
        <span key={name} className="chip">
          {name}
          <button type="button" className="link" aria-label={`Stop grouping by ${name}`} onClick={() => onChange(value.filter((v) => v !== name))}>×</button>
        </span>
      ))}
      <select value="" onChange={(e) => e.target.value && onChange([...value, e.target.value])} aria-label="Add group-by column">
        <option value="">{value.length === 0 ? '(none — rows)' : 'add column…'}</option>
        {available.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
      </select>
    </div>
  );
}
