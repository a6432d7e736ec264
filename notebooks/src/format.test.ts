import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyNotebook, parseNotebook, parseNotebookText, serializeNotebook } from './format.ts';
import { migrateToCurrent, type NotebookMigration } from './migrations.ts';

const fixture = readFileSync(new URL('./fixtures/v1-irrbb-report.json', import.meta.url), 'utf8');

describe('notebook format v1', () => {
  it('parses the checked-in v1 fixture and serializes it back byte for byte', () => {
    const parsed = parseNotebookText(fixture);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.document.cells.map((c) => c.kind)).toEqual(['markdown', 'sql', 'grid', 'ts', 'chart']);
    expect(parsed.document.cells[1]?.name).toBe('by_currency');
    expect(serializeNotebook(parsed.document)).toBe(fixture);
  });

  it('rejects unknown cell kinds, unknown fields, duplicate ids and future versions with a reason', () => {
    const base = JSON.parse(fixture);
    const badKind = parseNotebook({ ...base, cells: [{ id: 'a', kind: 'python', source: '' }] });
    expect(badKind).toMatchObject({ ok: false });
    expect(!badKind.ok && badKind.reason).toContain('cells.0.kind');
    expect(parseNotebook({ ...base, extra: 1 })).toMatchObject({ ok: false });
    const dup = parseNotebook({ ...base, cells: [{ id: 'a', kind: 'sql', source: '' }, { id: 'a', kind: 'sql', source: '' }] });
    expect(!dup.ok && dup.reason).toContain('duplicate cell id "a"');
    const future = parseNotebook({ ...base, version: 7 });
    expect(!future.ok && future.reason).toContain('newer than this ALMReady');
    expect(parseNotebookText('{not json')).toMatchObject({ ok: false });
    expect(parseNotebook({ format: 'other', version: 1 })).toMatchObject({ ok: false });
  });

  it('runs ordered migrations from an old version to the current one', () => {
    const steps: NotebookMigration[] = [
      { from: 1, to: 2, migrate: (d) => ({ ...d, title: `${String(d.title)} (v2)` }) },
      { from: 2, to: 3, migrate: (d) => ({ ...d, title: `${String(d.title)} (v3)` }) },
    ];
    const result = migrateToCurrent({ format: 'almready-notebook', version: 1, title: 'T', cells: [] }, steps, 3);
    expect(result).toEqual({ ok: true, value: { format: 'almready-notebook', version: 3, title: 'T (v2) (v3)', cells: [] } });
  });

  it('an empty notebook is valid', () => {
    expect(parseNotebook(emptyNotebook('New'))).toEqual({ ok: true, document: { format: 'almready-notebook', version: 1, title: 'New', cells: [] } });
  });
});
