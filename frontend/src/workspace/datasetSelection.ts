import type { DatasetMeta } from '../api/types.ts';

/**
 * The dataset to show. A dataset just uploaded (`wanted`) is not in the list until the list
 * reloads: until then the current choice stays, so the previous newest one does not win the race
 * and stay selected. Otherwise: the user's pick while it exists, else the newest.
 */
export function chooseDataset(list: DatasetMeta[], current: string | null, wanted: string | null): { selected: string | null; wanted: string | null } {
  if (wanted !== null) {
    if (list.some((d) => d.id === wanted)) return { selected: wanted, wanted: null };
    return { selected: current, wanted };
  }
  if (list.length === 0) return { selected: null, wanted: null };
  if (current !== null && list.some((d) => d.id === current)) return { selected: current, wanted: null };
  return { selected: list.reduce((a, b) => (b.createdAt > a.createdAt ? b : a)).id, wanted: null };
}
