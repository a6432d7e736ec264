import { describe, expect, it } from 'vitest';
import type { NotebookDocument } from '@almready/notebooks';
import { clearDraft, readDraft, writeDraft } from './draftStore.ts';

function memoryStorage(quota = Infinity) {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > quota) throw new DOMException('quota', 'QuotaExceededError');
      items.set(k, v);
    },
    removeItem: (k: string) => void items.delete(k),
  };
}
const doc: NotebookDocument = { format: 'almready-notebook', version: 2, title: 'T', cells: [{ id: 'a', kind: 'sql', source: 'SELECT 1' }] } as NotebookDocument;

describe('draft store', () => {
  it('keeps a draft per notebook until cleared', () => {
    const store = memoryStorage();
    expect(writeDraft('n1', { baseVersion: 3, content: doc, savedAt: '2026-12-04T21:00:00Z' }, store)).toBe(true);
    expect(readDraft('n1', store)).toEqual({ baseVersion: 3, content: doc, savedAt: '2026-12-04T21:00:00Z' });
    expect(readDraft('n2', store)).toBeUndefined();
    clearDraft('n1', store);
    expect(readDraft('n1', store)).toBeUndefined();
  });

  it('an unreadable or foreign entry is no draft; a full storage says so instead of throwing', () => {
    const store = memoryStorage(50);
    store.items.set('almready.notebook-draft.n1', '{not json');
    expect(readDraft('n1', store)).toBeUndefined();
    store.items.set('almready.notebook-draft.n1', JSON.stringify({ baseVersion: 1, content: { cells: 'nope' } }));
    expect(readDraft('n1', store)).toBeUndefined();
    expect(writeDraft('n1', { baseVersion: 1, content: doc, savedAt: '' }, store)).toBe(false);
    expect(writeDraft('n1', { baseVersion: 1, content: doc, savedAt: '' }, undefined)).toBe(false);
  });
});
