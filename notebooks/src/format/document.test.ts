import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyNotebook, parseNotebook, parseNotebookText, serializeNotebook } from './document.ts';
import { migrateToCurrent, type NotebookMigration } from './migrations.ts';

const v1 = readFileSync(new URL('../fixtures/v1-irrbb-report.json', import.meta.url), 'utf8');
const v2 = readFileSync(new URL('../fixtures/v2-irrbb-report.md', import.meta.url), 'utf8');

describe('notebook document', () => {
  it('reads the checked-in v1 fixture by migration and writes it as the checked-in v2 file', () => {
    const parsed = parseNotebookText(v1);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.document.version).toBe(2);
    expect(parsed.document.cells.map((c) => c.kind)).toEqual(['markdown', 'sql', 'grid', 'ts', 'chart']);
    expect(parsed.document.cells[1]?.name).toBe('by_currency');
    // v1 grids named their result bare; v2 grids are a spec bound to it
    expect(parsed.document.cells[2]?.source).toBe('{"data":"by_currency"}');
    expect(serializeNotebook(parsed.document)).toBe(v2);
    expect(parseNotebookText(v2)).toEqual(parsed);
  });

  it('rejects unknown cell kinds, unknown fields, duplicate ids and future versions with a reason', () => {
    const base = JSON.parse(v1);
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
    const lazyMarkdown = parseNotebook({ ...emptyNotebook('x'), cells: [{ id: 'a', kind: 'markdown', source: '', lazy: true }] });
    expect(!lazyMarkdown.ok && lazyMarkdown.reason).toBe('Invalid notebook at cells.0: Unrecognized key: "lazy"');
    const surrogate = parseNotebook({ ...emptyNotebook('x'), cells: [{ id: 'a', kind: 'sql', source: 'SELECT \uD800' }] });
    expect(!surrogate.ok && surrogate.reason).toBe('Invalid notebook at cells.0.source: a cell source holds a lone surrogate (not valid Unicode text)');
  });

  it('accepts v1 and v2 documents over HTTP alike (v1 is migrated)', () => {
    const fromV1 = parseNotebook({ format: 'almready-notebook', version: 1, title: 'T', cells: [{ id: 'g', kind: 'grid', source: ' by_product ' }] });
    expect(fromV1).toEqual({ ok: true, document: { format: 'almready-notebook', version: 2, title: 'T', cells: [{ id: 'g', kind: 'grid', source: '{"data":"by_product"}' }] } });
    const already = parseNotebook({ format: 'almready-notebook', version: 2, title: 'T', lazy: true, cells: [{ id: 's', kind: 'sql', source: 'SELECT 1', lazy: false }] });
    expect(already.ok && already.document.cells[0]).toEqual({ id: 's', kind: 'sql', source: 'SELECT 1', lazy: false });
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
    expect(parseNotebook(emptyNotebook('New'))).toEqual({ ok: true, document: { format: 'almready-notebook', version: 2, title: 'New', cells: [] } });
  });
});
