import { describe, expect, it } from 'vitest';
import type { DatasetMeta } from '../api/types.ts';
import { chooseDataset } from './datasetSelection.ts';

const ds = (id: string, createdAt: string) => ({ id, createdAt }) as DatasetMeta;
const old = [ds('a', '2026-01-01T00:00:00Z'), ds('b', '2026-02-01T00:00:00Z')];

describe('chooseDataset', () => {
  it('waits for a just-uploaded dataset instead of falling back to the previous newest', () => {
    // The upload answered with c; the list has not reloaded yet.
    expect(chooseDataset(old, 'b', 'c')).toEqual({ selected: 'b', wanted: 'c' });
    // The reloaded list holds c: it is selected, even if its clock is behind b's.
    expect(chooseDataset([...old, ds('c', '2025-12-31T00:00:00Z')], 'b', 'c')).toEqual({ selected: 'c', wanted: null });
  });

  it("keeps the user's pick while it exists, else takes the newest, else none", () => {
    expect(chooseDataset(old, 'a', null)).toEqual({ selected: 'a', wanted: null });
    expect(chooseDataset(old, 'gone', null)).toEqual({ selected: 'b', wanted: null });
    expect(chooseDataset(old, null, null)).toEqual({ selected: 'b', wanted: null });
    expect(chooseDataset([], 'a', null)).toEqual({ selected: null, wanted: null });
  });
});
