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
