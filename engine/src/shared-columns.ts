import { localityOrder, rankOf, reorderSchedules as reorderRows, scatterF64, scatterI32, scatterI8, scatterU16, scatterU8 } from './locality.ts';
import type { DictionaryColumn, PositionColumns, ScheduleColumns } from './positions.ts';

/**
 * Columns on SharedArrayBuffer, for running one book over several threads (partition.ts): a typed
 * array whose buffer is shared is not copied by postMessage — the receiving worker sees the same
 * memory — so handing 1,000,000 positions to a worker costs the few small dictionary lists only.
 */

type Column = Int8Array | Uint8Array | Uint16Array | Int32Array | Float64Array;

/** A copy of `array` whose buffer is a SharedArrayBuffer (same type, length and values). */
export function sharedCopy<T extends Column>(array: T): T {
  // every column type has a (buffer) constructor; the cast keeps T instead of a union of array types
  const Kind = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Kind(new SharedArrayBuffer(array.byteLength));
  copy.set(array as ArrayLike<number> & T);
  return copy;
}

const shareDictionary = (column: DictionaryColumn): DictionaryColumn => ({ codes: sharedCopy(column.codes), values: [...column.values] });

export interface ShareOptions {
  /**
   * Copy the `id` strings too (default true). With false the copy's `id` is empty (length 0): the
   * calculations (evePass, niiPass, gapSums, analysePartial) never read ids — only loaders and
   * exports do — and 1,000,000 strings take ~0.4–0.5 s to send to a worker (measured), the shared columns ~1 ms.
   * A worker that must report ids per position receives them separately.
   */
  ids?: boolean;
}

/** A copy of the positions with every typed array on its own SharedArrayBuffer. */
export function shareColumns(p: PositionColumns, options: ShareOptions = {}): PositionColumns {
  const attributes: Record<string, DictionaryColumn> = {};
  for (const [name, column] of Object.entries(p.attributes)) attributes[name] = shareDictionary(column);
  return {
    length: p.length,
    id: options.ids === false ? [] : [...p.id],
    side: sharedCopy(p.side),
    product: shareDictionary(p.product),
    currency: shareDictionary(p.currency),
    notional: sharedCopy(p.notional),
    startDate: sharedCopy(p.startDate),
    maturityDate: sharedCopy(p.maturityDate),
    amortization: sharedCopy(p.amortization),
    rateType: sharedCopy(p.rateType),
    rate: sharedCopy(p.rate),
    index: shareDictionary(p.index),
    spread: sharedCopy(p.spread),
    paymentFrequencyMonths: sharedCopy(p.paymentFrequencyMonths),
    resetFrequencyMonths: sharedCopy(p.resetFrequencyMonths),
    nextResetDate: sharedCopy(p.nextResetDate),
    dayCount: sharedCopy(p.dayCount),
    floor: sharedCopy(p.floor),
    cap: sharedCopy(p.cap),
    nmdCategory: sharedCopy(p.nmdCategory),
    cpr: sharedCopy(p.cpr),
    tdrr: sharedCopy(p.tdrr),
    attributes,
  };
}

/** A copy of the scheduled flows on SharedArrayBuffer. */
export function shareSchedules(s: ScheduleColumns): ScheduleColumns {
  return { length: s.length, positionIndex: sharedCopy(s.positionIndex), date: sharedCopy(s.date), principal: sharedCopy(s.principal) };
}

/** Every typed array of the positions (and schedules, when given) lives on a SharedArrayBuffer. */
export function isShared(p: PositionColumns, s?: ScheduleColumns): boolean {
  return typedColumns(p, s).every((array) => array.buffer instanceof SharedArrayBuffer);
}

function typedColumns(p: PositionColumns, s?: ScheduleColumns): Column[] {
  const dictionaries = [p.product, p.currency, p.index, ...Object.values(p.attributes)].map((d) => d.codes);
  const columns: Column[] = [
    p.side, p.notional, p.startDate, p.maturityDate, p.amortization, p.rateType, p.rate, p.spread, p.paymentFrequencyMonths,
    p.resetFrequencyMonths, p.nextResetDate, p.dayCount, p.floor, p.cap, p.nmdCategory, p.cpr, p.tdrr, ...dictionaries,
  ];
  if (s) columns.push(s.positionIndex, s.date, s.principal);
  return columns;
}

/** The typed-array columns of PositionColumns, by name (dictionary codes as `product`, `attributes.segment`, …). */
export type ColumnName = string;

/** Every typed column of `p` by name: a reorder can be shared out between threads by these names. */
export function columnNames(p: PositionColumns): ColumnName[] {
  return [...TYPED_KEYS, 'product', 'currency', 'index', ...Object.keys(p.attributes).map((name) => `attributes.${name}`)];
}

const TYPED_KEYS = [
  'side', 'notional', 'startDate', 'maturityDate', 'amortization', 'rateType', 'rate', 'spread', 'paymentFrequencyMonths',
  'resetFrequencyMonths', 'nextResetDate', 'dayCount', 'floor', 'cap', 'nmdCategory', 'cpr', 'tdrr',
] as const;

function columnOf(p: PositionColumns, name: ColumnName): Column {
  if (name === 'product' || name === 'currency' || name === 'index') return p[name].codes;
  if (name.startsWith('attributes.')) {
    const column = p.attributes[name.slice('attributes.'.length)];
    if (column) return column.codes;
  } else if ((TYPED_KEYS as readonly string[]).includes(name)) return p[name as (typeof TYPED_KEYS)[number]];
  throw new RangeError(`no typed column "${name}" in the positions`);
}

/**
 * Positions shaped like `p` with zeroed columns on SharedArrayBuffer (ids empty): the target of a
 * reorder that several threads fill at once (gatherColumns), each writing its own columns.
 */
export function sharedLike(p: PositionColumns): PositionColumns {
  const empty = <T extends Column>(array: T): T => new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  const dictionary = (column: DictionaryColumn): DictionaryColumn => ({ codes: empty(column.codes), values: [...column.values] });
  const attributes: Record<string, DictionaryColumn> = {};
  for (const [name, column] of Object.entries(p.attributes)) attributes[name] = dictionary(column);
  return {
    length: p.length, id: [], side: empty(p.side), product: dictionary(p.product), currency: dictionary(p.currency), notional: empty(p.notional),
    startDate: empty(p.startDate), maturityDate: empty(p.maturityDate), amortization: empty(p.amortization), rateType: empty(p.rateType),
    rate: empty(p.rate), index: dictionary(p.index), spread: empty(p.spread), paymentFrequencyMonths: empty(p.paymentFrequencyMonths),
    resetFrequencyMonths: empty(p.resetFrequencyMonths), nextResetDate: empty(p.nextResetDate), dayCount: empty(p.dayCount),
    floor: empty(p.floor), cap: empty(p.cap), nmdCategory: empty(p.nmdCategory), cpr: empty(p.cpr), tdrr: empty(p.tdrr), attributes,
  };
}

/**
 * target[name][k] = source[name][order[k]] for the named columns: one thread's share of a reorder
 * (positions.ts columns; ids are not moved). Threads given disjoint names may run at once on the
 * same SharedArrayBuffer target. One loop per array type: a generic loop goes megamorphic.
 */
export function gatherColumns(source: PositionColumns, target: PositionColumns, order: Int32Array, names: readonly ColumnName[]): void {
  if (order.length !== source.length || target.length !== source.length) {
    throw new RangeError(`order (${order.length}), source (${source.length}) and target (${target.length}) must have one length`);
  }
  const rank = rankOf(order); // scattered, not gathered: locality.ts
  for (const name of names) {
    const from = columnOf(source, name);
    const to = columnOf(target, name);
    if (from instanceof Float64Array) scatterF64(from, to as Float64Array, rank);
    else if (from instanceof Int32Array) scatterI32(from, to as Int32Array, rank);
    else if (from instanceof Uint16Array) scatterU16(from, to as Uint16Array, rank);
    else if (from instanceof Uint8Array) scatterU8(from, to as Uint8Array, rank);
    else scatterI8(from, to as Int8Array, rank);
  }
}


/** Schedule rows reordered with their positions, on SharedArrayBuffer (locality.ts reorderSchedules). */
export function reorderSchedules(s: ScheduleColumns, order: Int32Array): ScheduleColumns {
  return reorderRows(s, order, true);
}

/**
 * The book in locality order (locality.ts: the order analyse() visits it in) on SharedArrayBuffer,
 * ids left out: what a split run hands to its threads. analyse() and analysePartial() visit such
 * a book as it is (its locality order is the identity), so no thread copies or reorders it, and
 * its results equal those of the book in its own order (the same visiting order). `order[k]` is
 * the input row of position k (to carry ids or other per-row data along).
 */
export function shareInLocalityOrder(p: PositionColumns, s?: ScheduleColumns): { positions: PositionColumns; schedules: ScheduleColumns | undefined; order: Int32Array } {
  const order = localityOrder(p);
  const target = sharedLike(p);
  gatherColumns(p, target, order, columnNames(target));
  return { positions: target, schedules: s === undefined ? undefined : reorderRows(s, order, true), order };
}
