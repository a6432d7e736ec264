/** Positions staging: which source field feeds each canonical and attribute column. */
import { POSITION_COLUMNS, type ResolvedMapping } from '../schema/index.ts';
import type { StageTarget } from './stage.ts';

export const canonicalNames = POSITION_COLUMNS.map((c) => c.name);

export function targetOf(mapping: ResolvedMapping, field: (index: number) => string, src: number): StageTarget {
  const select: Record<string, string | undefined> = {};
  for (const name of canonicalNames) {
    const index = mapping.columns[name];
    select[name] = index === undefined ? undefined : field(index);
  }
  for (const [name, index] of Object.entries(mapping.attributes)) select[name] = field(index);
  return { src, select };
}

