/**
 * An `input` cell as a form control (date picker, dataset picker, number, select, scenario
 * multi-select, Tier 1 capital). A change is checked with the spec's own reader
 * (`parseInputValue`) and handed up; the notebook re-runs what depends on it with `parameters`.
 */
import { useEffect, useState } from 'react';
import { parseInputValue, REGULATORY_SCENARIOS, type InputSpec, type InputValue } from '@almready/notebooks';
import type { DatasetMeta } from '../../api/types.ts';
import { formatValue } from './valueFormat.ts';

export function InputControl({ name, spec, value, onChange, disabled, datasets }: {
  name: string; spec: InputSpec; value: InputValue; onChange: (value: InputValue) => void; disabled: boolean; datasets: DatasetMeta[];
}) {
  const [text, setText] = useState(Array.isArray(value) ? value.join(',') : value === null ? '' : String(value));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setText(Array.isArray(value) ? value.join(',') : value === null ? '' : String(value)), [value]);
  const label = spec.label ?? name;
  const commit = (raw: string) => {
    const parsed = parseInputValue(spec, raw);
    if (!parsed.ok) return setProblem(parsed.reason);
    setProblem(null);
    if (JSON.stringify(parsed.value) !== JSON.stringify(value)) onChange(parsed.value);
  };
  const id = `input-${name}`;
  let control;
  switch (spec.type) {
    case 'date':
      control = <input id={id} type="date" value={text} min={spec.min} max={spec.max} disabled={disabled} onChange={(e) => { setText(e.target.value); commit(e.target.value); }} />;
      break;
    case 'dataset':
      control = datasets.length > 0 ? (
        <select id={id} value={text} disabled={disabled} onChange={(e) => { setText(e.target.value); commit(e.target.value); }}>
          <option value="">the newest dataset</option>
          {datasets.map((d) => <option key={d.id} value={d.id}>{d.name} · as of {d.asOf}</option>)}
        </select>
      ) : <input id={id} value={text} disabled={disabled} placeholder="dataset id or name" onChange={(e) => setText(e.target.value)} onBlur={() => commit(text)} onKeyDown={(e) => { if (e.key === 'Enter') commit(text); }} />;
      break;
    case 'number': case 'tier1':
      control = (
        <>
          <input id={id} type="number" value={text} step={spec.type === 'number' ? spec.step ?? 'any' : 'any'} disabled={disabled}
            onChange={(e) => setText(e.target.value)} onBlur={() => commit(text)} onKeyDown={(e) => { if (e.key === 'Enter') commit(text); }} />
          <span className="muted">{typeof value === 'number' ? formatValue(value, spec.type === 'tier1' ? 'money' : spec.format) : ''}{spec.type === 'tier1' && spec.currency ? ` ${spec.currency}` : ''}</span>
        </>
      );
      break;
    case 'select':
      control = (
        <select id={id} value={text} disabled={disabled} onChange={(e) => { setText(e.target.value); commit(e.target.value); }}>
          {spec.options.map((o) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}
        </select>
      );
      break;
    case 'scenarios': {
      const options: readonly string[] = spec.options ?? REGULATORY_SCENARIOS;
      const chosen = Array.isArray(value) ? value : [];
      control = (
        <span className="nb-scenarios" role="group" aria-label={label}>
          {options.map((o) => (
            <label key={o} className="check">
              <input type="checkbox" checked={chosen.includes(o)} disabled={disabled}
                onChange={(e) => commit((e.target.checked ? [...chosen, o] : chosen.filter((c) => c !== o)).join(','))} /> {o}
            </label>
          ))}
        </span>
      );
      break;
    }
  }
  return (
    <div className="nb-input">
      <label htmlFor={id}>{label}</label>
      {control}
      {problem ? <span className="cell-error" role="status">{problem}</span> : null}
    </div>
  );
}
