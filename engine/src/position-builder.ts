import { parseIsoDate } from './dates.ts';
import { DictionaryBuilder } from './dictionary.ts';
import { DEFAULTS, paymentMonths } from './settings.ts';
import {
  AMORTIZATIONS,
  DAY_COUNTS,
  NMD_CATEGORIES,
  NO_DATE,
  RATE_TYPES,
  type PositionColumns,
  type PositionRecord,
  type ScheduleColumns,
} from './positions.ts';

const DEFAULT_DAY_COUNT = DAY_COUNTS.indexOf(DEFAULTS.dayCount);

function isoDay(text: string | undefined): number {
  if (text === undefined || text === '') return NO_DATE;
  const day = parseIsoDate(text);
  // Validation happens in the data layer; a builder that meets a bad date is a programming error.
  if (day === undefined) throw new RangeError(`not an ISO date (yyyy-mm-dd): ${text}`);
  return day;
}

function grow<T extends Float64Array | Int32Array | Uint8Array | Int8Array | Uint16Array>(a: T, size: number): T {
  if (size <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
  next.set(a);
  return next;
}

/**
 * Turns canonical records into PositionColumns, applying the defaults of methodology §1.1:
 * payment frequency 12 months for bullets and 1 otherwise, day count ACT/365.
 * The builder trusts its records (validation is done by the importers).
 */
export class PositionsBuilder {
  private n = 0;
  private readonly ids: string[] = [];
  private side: Int8Array;
  private readonly product = new DictionaryBuilder();
  private readonly currency = new DictionaryBuilder();
  private readonly index = new DictionaryBuilder();
  private f64: Record<'notional' | 'rate' | 'spread' | 'floor' | 'cap' | 'cpr' | 'tdrr', Float64Array>;
  private i32: Record<'startDate' | 'maturityDate' | 'nextResetDate', Int32Array>;
  private amortization: Uint8Array;
  private rateType: Uint8Array;
  private dayCount: Uint8Array;
  private nmdCategory: Int8Array;
  private paymentFrequencyMonths: Uint16Array;
  private resetFrequencyMonths: Uint16Array;
  private readonly attributes = new Map<string, DictionaryBuilder>();

  constructor(capacity = 1024) {
    const c = Math.max(16, capacity);
    this.side = new Int8Array(c);
    const f = (): Float64Array => new Float64Array(c);
    this.f64 = { notional: f(), rate: f(), spread: f(), floor: f(), cap: f(), cpr: f(), tdrr: f() };
    this.i32 = { startDate: new Int32Array(c), maturityDate: new Int32Array(c), nextResetDate: new Int32Array(c) };
    this.amortization = new Uint8Array(c);
    this.rateType = new Uint8Array(c);
    this.dayCount = new Uint8Array(c);
    this.nmdCategory = new Int8Array(c);
    this.paymentFrequencyMonths = new Uint16Array(c);
    this.resetFrequencyMonths = new Uint16Array(c);
  }

  get length(): number {
    return this.n;
  }

  add(r: PositionRecord): void {
    const i = this.n;
    const size = i + 1;
    this.side = grow(this.side, size);
    for (const k of Object.keys(this.f64) as (keyof typeof this.f64)[]) this.f64[k] = grow(this.f64[k], size);
    for (const k of Object.keys(this.i32) as (keyof typeof this.i32)[]) this.i32[k] = grow(this.i32[k], size);
    this.amortization = grow(this.amortization, size);
    this.rateType = grow(this.rateType, size);
    this.dayCount = grow(this.dayCount, size);
    this.nmdCategory = grow(this.nmdCategory, size);
    this.paymentFrequencyMonths = grow(this.paymentFrequencyMonths, size);
    this.resetFrequencyMonths = grow(this.resetFrequencyMonths, size);

    const floating = r.rate_type === 'floating';
    this.ids.push(r.position_id);
    this.side[i] = r.side === 'asset' ? 1 : -1;
    this.product.push(r.product);
    this.currency.push(r.currency);
    this.index.push(floating ? r.index : undefined);
    this.f64.notional[i] = r.notional;
    this.f64.rate[i] = r.rate;
    this.f64.spread[i] = r.spread ?? 0;
    this.f64.floor[i] = r.floor ?? Number.NaN;
    this.f64.cap[i] = r.cap ?? Number.NaN;
    this.f64.cpr[i] = r.cpr ?? Number.NaN;
    this.f64.tdrr[i] = r.tdrr ?? Number.NaN;
    this.i32.startDate[i] = isoDay(r.start_date);
    this.i32.maturityDate[i] = isoDay(r.maturity_date);
    this.i32.nextResetDate[i] = floating ? isoDay(r.next_reset_date) : NO_DATE;
    this.amortization[i] = AMORTIZATIONS.indexOf(r.amortization);
    this.rateType[i] = RATE_TYPES.indexOf(r.rate_type);
    this.dayCount[i] = r.day_count === undefined ? DEFAULT_DAY_COUNT : DAY_COUNTS.indexOf(r.day_count);
    this.nmdCategory[i] = r.nmd_category === undefined ? -1 : NMD_CATEGORIES.indexOf(r.nmd_category);
    this.paymentFrequencyMonths[i] = r.payment_frequency_months ?? paymentMonths(this.amortization[i]!, 0);
    this.resetFrequencyMonths[i] = floating ? (r.reset_frequency_months ?? this.paymentFrequencyMonths[i]!) : 0;

    // Attribute columns may appear on any row; earlier rows get an empty code.
    for (const [name, value] of Object.entries(r.attributes ?? {})) {
      let column = this.attributes.get(name);
      if (column === undefined) {
        column = new DictionaryBuilder(this.ids.length);
        for (let k = 0; k < i; k++) column.push(undefined);
        this.attributes.set(name, column);
      }
      column.push(value);
    }
    for (const [name, column] of this.attributes) if (r.attributes?.[name] === undefined) column.push(undefined);
    this.n = size;
  }

  build(): PositionColumns {
    const n = this.n;
    const attributes: PositionColumns['attributes'] = {};
    for (const [name, column] of this.attributes) attributes[name] = column.build();
    return {
      length: n,
      id: this.ids.slice(),
      side: this.side.slice(0, n),
      product: this.product.build(),
      currency: this.currency.build(),
      notional: this.f64.notional.slice(0, n),
      startDate: this.i32.startDate.slice(0, n),
      maturityDate: this.i32.maturityDate.slice(0, n),
      amortization: this.amortization.slice(0, n),
      rateType: this.rateType.slice(0, n),
      rate: this.f64.rate.slice(0, n),
      index: this.index.build(),
      spread: this.f64.spread.slice(0, n),
      paymentFrequencyMonths: this.paymentFrequencyMonths.slice(0, n),
      resetFrequencyMonths: this.resetFrequencyMonths.slice(0, n),
      nextResetDate: this.i32.nextResetDate.slice(0, n),
      dayCount: this.dayCount.slice(0, n),
      floor: this.f64.floor.slice(0, n),
      cap: this.f64.cap.slice(0, n),
      nmdCategory: this.nmdCategory.slice(0, n),
      cpr: this.f64.cpr.slice(0, n),
      tdrr: this.f64.tdrr.slice(0, n),
      attributes,
    };
  }
}

/** Scheduled principal flows keyed by position id; build() sorts by position index then date. */
export class SchedulesBuilder {
  private readonly lookup = new Map<string, number>();
  private readonly rows: { position: number; date: number; principal: number }[] = [];

  constructor(positionIds: readonly string[]) {
    positionIds.forEach((id, i) => this.lookup.set(id, i));
  }

  /** Returns false when the position id is unknown (the caller reports it). */
  add(positionId: string, date: string, principal: number): boolean {
    const position = this.lookup.get(positionId);
    if (position === undefined) return false;
    this.rows.push({ position, date: isoDay(date), principal });
    return true;
  }

  build(): ScheduleColumns {
    const rows = this.rows.slice().sort((a, b) => a.position - b.position || a.date - b.date);
    const n = rows.length;
    const out: ScheduleColumns = {
      length: n,
      positionIndex: new Int32Array(n),
      date: new Int32Array(n),
      principal: new Float64Array(n),
    };
    rows.forEach((r, k) => {
      out.positionIndex[k] = r.position;
      out.date[k] = r.date;
      out.principal[k] = r.principal;
    });
    return out;
  }
}
