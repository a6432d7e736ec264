import { monthIndexOf, monthStart } from './dates.ts';
import { NO_DATE, type DictionaryColumn, type PositionColumns, type ScheduleColumns } from './positions.ts';

/**
 * The order in which a run visits the positions. Every result is a sum over positions, so the
 * order does not change it (beyond rounding), but it decides what stays in cache: contracts of the
 * same product, currency and side (one breakdown group) with the same payment calendar (frequency,
 * day count, month phase, day of month: one schedule family) write the same aggregate blocks and
 * read the same schedule master, so visiting them one after another keeps those in L1/L2 instead
 * of missing cache on almost every contract of a book in file order. Bank extracts are often
 * sorted by product already; the synthetic bank is in random order.
 *
 * Counting sort on a dense key: O(n), stable (ties keep their file order).
 */
export function localityOrder(p: PositionColumns): Int32Array {
  const n = p.length;
  const keys = new Int32Array(n);
  // (product, currency, side, rate type, frequency, day count, month phase) → dense id, then × 32 + day of month
  const ids = new Map<number, number>();
  const products = p.product.values.length + 1;
  const currencies = p.currency.values.length + 1;
  for (let i = 0; i < n; i++) {
    const maturity = p.maturityDate[i] as number;
    const frequency = p.paymentFrequencyMonths[i] as number;
    let day = 0;
    let phase = 0;
    if (maturity !== NO_DATE) {
      const month = monthIndexOf(maturity);
      const first = monthStart(month);
      const last = monthStart(month + 1) - 1;
      day = maturity === last ? 0 : maturity - first + 1; // month end: its own family
      phase = frequency > 1 ? ((month % frequency) + frequency) % frequency : 0;
    }
    const group = (((p.product.codes[i] as number) + 1) * currencies + (p.currency.codes[i] as number) + 1) * 4 + ((p.side[i] as number) > 0 ? 0 : 2) + (p.rateType[i] as number);
    const calendar = ((frequency * 8 + (p.dayCount[i] as number)) * 1200 + phase) * 2 + (p.amortization[i] as number === 4 ? 1 : 0);
    const combined = group * 2_000_000 + calendar;
    let id = ids.get(combined);
    if (id === undefined) {
      id = ids.size;
      ids.set(combined, id);
    }
    keys[i] = id * 32 + day;
  }
  // ids in order of their composite value, so the visiting order does not depend on the file order
  const sortedIds = [...ids.entries()].sort((a, b) => a[0] - b[0]);
  const rankOfId = new Int32Array(ids.size);
  sortedIds.forEach(([, id], rank) => (rankOfId[id] = rank));
  const counts = new Int32Array(ids.size * 32 + 1);
  for (let i = 0; i < n; i++) {
    const key = keys[i] as number;
    const ranked = (rankOfId[key >> 5] as number) * 32 + (key & 31);
    keys[i] = ranked;
    counts[ranked + 1]!++;
  }
  for (let k = 1; k < counts.length; k++) counts[k]! += counts[k - 1] as number;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[counts[keys[i] as number]!++] = i;
  return order;
}

// one gather per array type: a single generic loop over five typed-array kinds goes megamorphic
// and runs ~20× slower
function gatherF64(column: Float64Array, order: Int32Array): Float64Array {
  const out = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = column[order[k] as number] as number;
  return out;
}
function gatherI32(column: Int32Array, order: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = column[order[k] as number] as number;
  return out;
}
function gatherU16(column: Uint16Array, order: Int32Array): Uint16Array {
  const out = new Uint16Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = column[order[k] as number] as number;
  return out;
}
function gatherU8(column: Uint8Array, order: Int32Array): Uint8Array {
  const out = new Uint8Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = column[order[k] as number] as number;
  return out;
}
function gatherI8(column: Int8Array, order: Int32Array): Int8Array {
  const out = new Int8Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = column[order[k] as number] as number;
  return out;
}

function gatherDictionary(d: DictionaryColumn, order: Int32Array): DictionaryColumn {
  return { codes: gatherI32(d.codes, order), values: d.values };
}

/**
 * The book with position k = position order[k] of `p` (schedule rows follow their positions, in
 * their date order). Same results from every calculation, up to summation order.
 */
export function reorderPositions(
  p: PositionColumns,
  schedules: ScheduleColumns | undefined,
  order: Int32Array,
  /** false: leave the id column empty (the calculations never read it; 1M strings cost ~0.2 s to move and collect) */
  withIds = true,
): { positions: PositionColumns; schedules: ScheduleColumns | undefined } {
  const n = p.length;
  if (order.length !== n) throw new RangeError(`order has ${order.length} entries for ${n} positions`);
  const ids = new Array<string>(withIds && p.id.length === n ? n : 0);
  for (let k = 0; k < ids.length; k++) ids[k] = p.id[order[k] as number] as string;
  const attributes: Record<string, DictionaryColumn> = {};
  for (const [name, column] of Object.entries(p.attributes)) attributes[name] = gatherDictionary(column, order);
  const positions: PositionColumns = {
    length: n,
    id: ids,
    side: gatherI8(p.side, order),
    product: gatherDictionary(p.product, order),
    currency: gatherDictionary(p.currency, order),
    notional: gatherF64(p.notional, order),
    startDate: gatherI32(p.startDate, order),
    maturityDate: gatherI32(p.maturityDate, order),
    amortization: gatherU8(p.amortization, order),
    rateType: gatherU8(p.rateType, order),
    rate: gatherF64(p.rate, order),
    index: gatherDictionary(p.index, order),
    spread: gatherF64(p.spread, order),
    paymentFrequencyMonths: gatherU16(p.paymentFrequencyMonths, order),
    resetFrequencyMonths: gatherU16(p.resetFrequencyMonths, order),
    nextResetDate: gatherI32(p.nextResetDate, order),
    dayCount: gatherU8(p.dayCount, order),
    floor: gatherF64(p.floor, order),
    cap: gatherF64(p.cap, order),
    nmdCategory: gatherI8(p.nmdCategory, order),
    cpr: gatherF64(p.cpr, order),
    tdrr: gatherF64(p.tdrr, order),
    attributes,
  };
  return { positions, schedules: schedules === undefined ? undefined : reorderSchedules(schedules, order) };
}

/**
 * Schedule rows following their positions to `order` (position k = old position order[k]): sorted by
 * new position, each position's rows in their old order; rows of positions outside [0, n) dropped
 * (indexSchedules ignores them too). `shared`: the columns on SharedArrayBuffer.
 */
export function reorderSchedules(s: ScheduleColumns, order: Int32Array, shared = false): ScheduleColumns {
  const n = order.length;
  const rank = new Int32Array(n);
  for (let k = 0; k < n; k++) rank[order[k] as number] = k;
  const counts = new Int32Array(n + 1);
  let kept = 0;
  for (let r = 0; r < s.length; r++) {
    const at = s.positionIndex[r] as number;
    if (at < 0 || at >= n) continue;
    counts[(rank[at] as number) + 1]!++;
    kept++;
  }
  for (let k = 1; k <= n; k++) counts[k]! += counts[k - 1] as number;
  const buffer = (bytes: number): ArrayBuffer | SharedArrayBuffer => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const out: ScheduleColumns = {
    length: kept,
    positionIndex: new Int32Array(buffer(kept * 4)),
    date: new Int32Array(buffer(kept * 4)),
    principal: new Float64Array(buffer(kept * 8)),
  };
  for (let r = 0; r < s.length; r++) {
    const at = s.positionIndex[r] as number;
    if (at < 0 || at >= n) continue;
    const to = counts[rank[at] as number]!++;
    out.positionIndex[to] = rank[at] as number;
    out.date[to] = s.date[r] as number;
    out.principal[to] = s.principal[r] as number;
  }
  return out;
}

/** reorderPositions(p, schedules, localityOrder(p), withIds). */
export function inLocalityOrder(p: PositionColumns, schedules?: ScheduleColumns, withIds = true): { positions: PositionColumns; schedules: ScheduleColumns | undefined } {
  return reorderPositions(p, schedules, localityOrder(p), withIds);
}
