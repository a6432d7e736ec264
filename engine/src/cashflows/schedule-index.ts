import type { ScheduleColumns } from '../positions.ts';

/** Row ranges of the schedule table per position: rows start[i] .. start[i+1]−1 belong to position i. */
export interface ScheduleIndex {
  columns: ScheduleColumns;
  start: Int32Array;
}

export function indexSchedules(columns: ScheduleColumns, positions: number): ScheduleIndex {
  const start = new Int32Array(positions + 1);
  for (let r = 0; r < columns.length; r++) {
    const p = columns.positionIndex[r] as number;
    if (p >= 0 && p < positions) start[p + 1]! += 1;
  }
  for (let p = 0; p < positions; p++) start[p + 1]! += start[p] as number;
  return { columns, start };
}
