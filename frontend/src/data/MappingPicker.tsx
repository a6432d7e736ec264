/**
 * Column mapping for an upload: automatic (canonical names and synonyms), a mapping saved in the
 * workspace, or a new one typed as JSON and optionally saved under a name for next month's file.
 */
import { useEffect, useState } from 'react';
import { api, wsPath } from '../api/http.ts';

export type { SavedMapping } from '@almready/contracts';
import type { SavedMapping } from '@almready/contracts';

export type MappingChoice =
  | { kind: 'auto' }
  | { kind: 'saved'; name: string }
  | { kind: 'custom'; json: string; saveAs: string };

/** Reads the custom JSON, or says what to fix. */
export function parseMappingJson(json: string): { ok: true; mapping: Record<string, string> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, message: 'The mapping must be JSON like {"notional": "Outstanding", "maturity_date": "Maturity"}.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    return { ok: false, message: 'The mapping must be one JSON object of canonical column → source column names.' };
  }
  return { ok: true, mapping: value as Record<string, string> };
}

export function MappingPicker({ workspaceId, choice, onChange }: { workspaceId: string; choice: MappingChoice; onChange: (c: MappingChoice) => void }) {
  const [saved, setSaved] = useState<SavedMapping[]>([]);
  useEffect(() => {
    let live = true;
    void api.get<{ mappings: SavedMapping[] }>(wsPath(workspaceId, 'mappings')).then((r) => {
      if (live && r.ok) setSaved(r.value.mappings);
    });
    return () => {
      live = false;
    };
  }, [workspaceId]);
  const value = choice.kind === 'saved' ? `saved:${choice.name}` : choice.kind;
  const pick = (v: string) => onChange(v === 'auto' ? { kind: 'auto' } : v === 'custom' ? { kind: 'custom', json: '{\n  "notional": ""\n}', saveAs: '' } : { kind: 'saved', name: v.slice('saved:'.length) });
  return (
    <div className="mapping-picker">
      <label>Column mapping
        <select value={value} onChange={(e) => pick(e.target.value)} aria-label="Column mapping">
          <option value="auto">Automatic (canonical names and synonyms)</option>
          {saved.map((m) => <option key={m.name} value={`saved:${m.name}`}>Saved: {m.name}</option>)}
          <option value="custom">New mapping…</option>
        </select>
      </label>
      {choice.kind === 'custom' ? (
        <>
          <textarea rows={5} value={choice.json} onChange={(e) => onChange({ ...choice, json: e.target.value })} aria-label="Mapping JSON" spellCheck={false} />
          <label>Save as (optional)<input value={choice.saveAs} onChange={(e) => onChange({ ...choice, saveAs: e.target.value })} placeholder="e.g. core banking export" aria-label="Save mapping as" /></label>
        </>
      ) : null}
    </div>
  );
}
