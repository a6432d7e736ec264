/**
 * A dataset's engine columns as the workers of a split run read them: every typed column on
 * SharedArrayBuffer and in locality order (the engine's shareInLocalityOrder), so handing the
 * book to a worker copies nothing and no worker reorders it. Position ids are strings, which
 * cannot be shared: they travel as UTF-16 code units and end offsets on SharedArrayBuffer too,
 * and are turned back into strings only where needed (naming positions in an error).
 * Datasets are immutable, so this form is also what the run cache keeps (dataset-cache.ts).
 */
import { shareInLocalityOrder, type CurveRow, type PositionColumns, type ScheduleColumns } from '@almready/engine';

export interface SharedIds {
  /** every id's UTF-16 code units, one after the other, in the book's (locality) order */
  chars: Uint16Array;
  /** ends[k]: where id k ends in `chars` (it starts where id k − 1 ends) */
  ends: Int32Array;
}

export interface SharedDataset {
  /** on SharedArrayBuffer, in locality order, `id` empty (see `ids`) */
  positions: PositionColumns;
  schedules: ScheduleColumns;
  curves: CurveRow[];
  asOf: string;
  ids: SharedIds;
  /** bytes of the shared columns and ids: what the dataset costs the cache */
  bytes: number;
}

/** The loaded columns as a SharedDataset (one pass per column: ~0.3–0.5 s at 1,000,000 positions). */
export function shareDataset(data: { positions: PositionColumns; schedules: ScheduleColumns; curves: CurveRow[]; asOf: string }): SharedDataset {
  const shared = shareInLocalityOrder(data.positions, data.schedules);
  const schedules = shared.schedules ?? data.schedules;
  const ids = shareIds(data.positions.id, shared.order);
  return { positions: shared.positions, schedules, curves: data.curves, asOf: data.asOf, ids, bytes: sharedBytes(shared.positions, schedules, ids) };
}

function shareIds(id: readonly string[], order: Int32Array): SharedIds {
  const ends = new Int32Array(new SharedArrayBuffer(order.length * 4));
  let total = 0;
  for (let k = 0; k < order.length; k++) {
    total += (id[order[k] as number] ?? '').length;
    ends[k] = total;
  }
  const chars = new Uint16Array(new SharedArrayBuffer(total * 2));
  let at = 0;
  for (let k = 0; k < order.length; k++) {
    const text = id[order[k] as number] ?? '';
    for (let c = 0; c < text.length; c++) chars[at++] = text.charCodeAt(c);
  }
  return { chars, ends };
}

/** The ids as strings (the failure path: naming positions that cannot be valued). */
export function idsOf(ids: SharedIds): string[] {
  // decoded in blocks: String.fromCharCode takes its arguments on the stack
  const parts: string[] = [];
  for (let at = 0; at < ids.chars.length; at += 8192) parts.push(String.fromCharCode(...ids.chars.subarray(at, Math.min(at + 8192, ids.chars.length))));
  const text = parts.join('');
  const out = new Array<string>(ids.ends.length);
  let start = 0;
  for (let k = 0; k < ids.ends.length; k++) {
    const end = ids.ends[k] as number;
    out[k] = text.slice(start, end);
    start = end;
  }
  return out;
}

function sharedBytes(p: PositionColumns, s: ScheduleColumns, ids: SharedIds): number {
  let bytes = ids.chars.byteLength + ids.ends.byteLength + s.positionIndex.byteLength + s.date.byteLength + s.principal.byteLength;
  for (const value of Object.values(p)) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  for (const column of [p.product, p.currency, p.index, ...Object.values(p.attributes)]) bytes += column.codes.byteLength;
  return bytes;
}
