/**
 * A deterministic synthetic bank for benchmarks, the demo workspace and tests elsewhere.
 * Typed arrays are filled directly (no per-row objects) so 1M positions build in a few hundred ms.
 * Every row is valid per methodology §1.1.
 */
import type { CurveRow } from './curve-set.ts';
import { zeroCurve, type ZeroCurve } from './curve.ts';
import { addMonths, monthIndexOf, monthStart, parseIsoDate } from './dates.ts';
import { NO_DATE, type PositionColumns, type ScheduleColumns } from './positions.ts';
import { paymentSchedule } from './schedule.ts';

const TENORS: readonly [string, number][] = [
  ['ON', 1 / 365], ['1W', 7 / 365], ['1M', 1 / 12], ['3M', 0.25], ['6M', 0.5], ['9M', 0.75], ['1Y', 1],
  ['18M', 1.5], ['2Y', 2], ['3Y', 3], ['4Y', 4], ['5Y', 5], ['6Y', 6], ['7Y', 7], ['8Y', 8], ['9Y', 9],
  ['10Y', 10], ['12Y', 12], ['15Y', 15], ['20Y', 20], ['25Y', 25], ['30Y', 30], ['40Y', 40], ['50Y', 50],
];

/** Nelson–Siegel level/slope (β0 long end, β0 + β1 short end, τ = 2 years): upward-sloping curves. */
const CURVE_SHAPES: readonly { id: string; long: number; slope: number }[] = [
  { id: 'EUR_ESTR_OIS', long: 0.029, slope: -0.0095 },
  { id: 'EUR_EURIBOR_3M', long: 0.0305, slope: -0.009 },
  { id: 'USD_SOFR_OIS', long: 0.0445, slope: -0.0085 },
  { id: 'USD_SOFR_3M', long: 0.0455, slope: -0.008 },
];

function requireDate(asOf: string): number {
  const day = parseIsoDate(asOf);
  if (day === undefined) throw new RangeError(`asOf "${asOf}" is not a real yyyy-mm-dd date`);
  return day;
}

/** The four synthetic curves at every tenor ON..50Y, continuously compounded zero rates (§1.2). */
export function syntheticCurveRows(asOf: string): CurveRow[] {
  requireDate(asOf); // the stylised market is the same on every date; the date is only checked
  const rows: CurveRow[] = [];
  for (const { id, long, slope } of CURVE_SHAPES) {
    for (const [tenor, t] of TENORS) {
      const x = t / 2;
      const rate = long + (slope * (1 - Math.exp(-x))) / x;
      rows.push({ curve_id: id, tenor, rate: Math.round(rate * 1e6) / 1e6 });
    }
  }
  return rows;
}

const RANDOM_BLOCK = 8192;

/**
 * mulberry32 (small, fast, identical on every platform for a seed), drawn a block at a time into
 * `values`; loops read `values[next++]` after `reserve`. A closure over a mutable uint32 state would box
 * every state above 2^30 as a heap number: millions of allocations per book.
 */
class RandomStream {
  readonly values = new Float64Array(RANDOM_BLOCK);
  next = 0;
  private state: number;

  /** The stream of `seed` from draw number `skip` on (mulberry32's state only adds a constant per draw). */
  constructor(seed: number, skip = 0) {
    this.state = ((seed >>> 0) + Math.imul(skip, STEP)) | 0;
    this.fill(0);
  }

  /** Makes sure `count` draws are ready from `next` on, keeping the ones not read yet in order. */
  reserve(count: number): void {
    if (this.next <= RANDOM_BLOCK - count) return;
    this.values.copyWithin(0, this.next);
    this.fill(RANDOM_BLOCK - this.next);
    this.next = 0;
  }

  private fill(from: number): void {
    this.state = fillRandom(this.state, this.values, from);
  }
}

const UNIT = 2 ** -32;
const STEP = 0x6d2b79f5;

/** mulberry32 from `state` into out[from..]; returns the state to continue from. */
function fillRandom(state: number, out: Float64Array, from: number): number {
  let a = state;
  for (let k = from; k < out.length; k++) {
    a = (a + STEP) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[k] = ((t ^ (t >>> 14)) >>> 0) * UNIT; // × 2^−32: the same exact result as ÷ 2^32, without a division
  }
  return a;
}

function curvesFor(rows: CurveRow[]): Map<string, ZeroCurve> {
  const map = new Map<string, ZeroCurve>();
  for (const { id } of CURVE_SHAPES) {
    const own = rows.filter((r) => r.curve_id === id);
    const times = Float64Array.from(own, (r) => TENORS.find(([tenor]) => tenor === r.tenor)?.[1] ?? Number.NaN);
    map.set(id, zeroCurve(id, id.slice(0, 3), times, Float64Array.from(own, (r) => r.rate)));
  }
  return map;
}


// Indexes into AMORTIZATIONS / DAY_COUNTS / NMD_CATEGORIES of positions.ts.
const BULLET = 0, LINEAR = 1, ANNUITY = 2, SCHEDULED = 3, NON_MATURING = 4;
const A360 = 0, A365 = 1, T360 = 2, AACT = 3;

const SEGMENTS = ['retail', 'corporate', 'treasury'] as const;
const RETAIL = 0, CORPORATE = 1, TREASURY = 2;
const BRANCHES = ['Madrid', 'Barcelona', 'Paris', 'Frankfurt', 'Milan', 'New York', 'Chicago', 'Miami', 'Head office'] as const;
const EUR_BRANCHES = 5; // first five; USD uses the next three; treasury books at the head office

interface ProductSpec {
  name: string;
  side: 1 | -1;
  weight: number;
  amortization: number;
  floating: boolean;
  /** original term in months; NMD rows ignore it */
  term: [number, number];
  frequencies: readonly number[];
  dayCounts: readonly number[];
  segment: number;
  notional: [number, number];
  /** assets and wholesale funding: margin over the projection curve; deposits: discount below OIS; NMD: the rate itself */
  margin: [number, number];
  cpr?: [number, number];
  tdrr?: [number, number];
  nmd?: number;
  /** share of floating rows with a 0% coupon floor */
  floorShare?: number;
}

// Counts: ~60% assets, ~40% liabilities. Notional ranges are set so that volumes look like a
// retail bank: mortgages ~45% of assets, deposits ~70% of liabilities, liabilities ~90% of assets.
const PRODUCTS: readonly ProductSpec[] = [
  { name: 'mortgage', side: 1, weight: 0.17, amortization: ANNUITY, floating: false, term: [60, 360], frequencies: [1], dayCounts: [T360, A365], segment: RETAIL, notional: [50e3, 600e3], margin: [0.008, 0.02], cpr: [0.02, 0.08] },
  { name: 'mortgage_floating', side: 1, weight: 0.06, amortization: ANNUITY, floating: true, term: [120, 360], frequencies: [1], dayCounts: [A360], segment: RETAIL, notional: [60e3, 500e3], margin: [0.007, 0.015], cpr: [0.02, 0.06], floorShare: 0.5 },
  { name: 'consumer_loan', side: 1, weight: 0.08, amortization: LINEAR, floating: false, term: [12, 84], frequencies: [1], dayCounts: [A365], segment: RETAIL, notional: [3e3, 40e3], margin: [0.03, 0.07], cpr: [0.05, 0.15] },
  { name: 'corporate_loan', side: 1, weight: 0.07, amortization: BULLET, floating: false, term: [12, 120], frequencies: [3, 6, 12], dayCounts: [A360, T360], segment: CORPORATE, notional: [30e3, 800e3], margin: [0.012, 0.03] },
  { name: 'corporate_loan_floating', side: 1, weight: 0.08, amortization: BULLET, floating: true, term: [12, 84], frequencies: [3], dayCounts: [A360], segment: CORPORATE, notional: [25e3, 600e3], margin: [0.01, 0.025], floorShare: 0.6 },
  { name: 'sme_loan', side: 1, weight: 0.04, amortization: LINEAR, floating: true, term: [24, 96], frequencies: [3], dayCounts: [A360], segment: CORPORATE, notional: [20e3, 500e3], margin: [0.015, 0.035], floorShare: 0.3 },
  { name: 'bond', side: 1, weight: 0.07, amortization: BULLET, floating: false, term: [12, 360], frequencies: [12, 6], dayCounts: [AACT, T360], segment: TREASURY, notional: [40e3, 700e3], margin: [-0.001, 0.006] },
  { name: 'project_loan', side: 1, weight: 0.03, amortization: SCHEDULED, floating: false, term: [36, 120], frequencies: [6], dayCounts: [A360], segment: CORPORATE, notional: [60e3, 700e3], margin: [0.015, 0.03] },
  { name: 'term_deposit', side: -1, weight: 0.14, amortization: BULLET, floating: false, term: [1, 60], frequencies: [12], dayCounts: [A365], segment: RETAIL, notional: [10e3, 600e3], margin: [0.002, 0.008], tdrr: [0.02, 0.1] },
  { name: 'current_account', side: -1, weight: 0.1, amortization: NON_MATURING, floating: false, term: [0, 0], frequencies: [1], dayCounts: [A365], segment: RETAIL, notional: [20e3, 900e3], margin: [0, 0.001], nmd: 0 },
  { name: 'savings_account', side: -1, weight: 0.08, amortization: NON_MATURING, floating: false, term: [0, 0], frequencies: [1], dayCounts: [A365], segment: RETAIL, notional: [20e3, 900e3], margin: [0.005, 0.015], nmd: 1 },
  { name: 'corporate_deposit', side: -1, weight: 0.04, amortization: NON_MATURING, floating: false, term: [0, 0], frequencies: [1], dayCounts: [A360], segment: CORPORATE, notional: [60e3, 1.2e6], margin: [0.001, 0.004], nmd: 2 },
  { name: 'senior_bond', side: -1, weight: 0.02, amortization: BULLET, floating: false, term: [24, 120], frequencies: [12], dayCounts: [AACT], segment: TREASURY, notional: [300e3, 1.2e6], margin: [0.004, 0.012] },
  { name: 'interbank_funding', side: -1, weight: 0.02, amortization: BULLET, floating: true, term: [3, 24], frequencies: [3], dayCounts: [A360], segment: TREASURY, notional: [200e3, 1e6], margin: [0.001, 0.004] },
];

const CUMULATIVE_WEIGHTS = (() => {
  let acc = 0;
  return Float64Array.from(PRODUCTS, (p) => (acc += p.weight));
})();

/**
 * A product with every range as low + span: exactly the `range[0] + (range[1] − range[0])·u` of a
 * uniform draw, with the subtraction done once instead of per row. Absent ranges are NaN, not 0, so
 * every product's object gets the same hidden class from the start (a field first holding a small
 * integer and later a fraction would change it) and the row loop's property loads stay monomorphic.
 */
interface Draws {
  side: number;
  amortization: number;
  floating: boolean;
  /** deposits priced off OIS at their term; other fixed rows off the projection curve */
  discountPriced: boolean;
  nmd: number;
  segment: number;
  notionalLow: number;
  logNotionalRange: number;
  dayCounts: readonly number[];
  frequencies: readonly number[];
  marginLow: number;
  marginSpan: number;
  termLow: number;
  termSpan: number;
  hasFloor: boolean;
  floorShare: number;
  hasCpr: boolean;
  cprLow: number;
  cprSpan: number;
  hasTdrr: boolean;
  tdrrLow: number;
  tdrrSpan: number;
}

const DRAWS: readonly Draws[] = PRODUCTS.map((x) => ({
  side: x.side,
  amortization: x.amortization,
  floating: x.floating,
  discountPriced: x.side === -1 && x.name === 'term_deposit',
  nmd: x.nmd ?? -1,
  segment: x.segment,
  notionalLow: x.notional[0],
  logNotionalRange: Math.log(x.notional[1] / x.notional[0]),
  dayCounts: x.dayCounts,
  frequencies: x.frequencies,
  marginLow: x.margin[0],
  marginSpan: x.margin[1] - x.margin[0],
  termLow: x.term[0],
  termSpan: x.term[1] - x.term[0],
  hasFloor: x.floorShare !== undefined,
  floorShare: x.floorShare ?? Number.NaN,
  hasCpr: x.cpr !== undefined,
  cprLow: x.cpr?.[0] ?? Number.NaN,
  cprSpan: x.cpr ? x.cpr[1] - x.cpr[0] : Number.NaN,
  hasTdrr: x.tdrr !== undefined,
  tdrrLow: x.tdrr?.[0] ?? Number.NaN,
  tdrrSpan: x.tdrr ? x.tdrr[1] - x.tdrr[0] : Number.NaN,
}));

/**
 * First product code to test for a draw u in [b/1024, (b+1)/1024): how many cumulative weights are
 * ≤ b/1024. The linear search then starts there and ends where it always did (weights only increase).
 */
const PRODUCT_BUCKETS = 1024;
const FIRST_PRODUCT = Uint8Array.from({ length: PRODUCT_BUCKETS }, (_, b) => {
  let k = 0;
  while (k < PRODUCTS.length - 1 && b / PRODUCT_BUCKETS >= (CUMULATIVE_WEIGHTS[k] as number)) k++;
  return k;
});

const MAX_TERM = Math.max(...PRODUCTS.map((x) => x.term[1]));
/** Days a row of original term m months may already have run: ≥ ~1 month must be left. */
const ELAPSED_SPAN = Float64Array.from({ length: MAX_TERM + 1 }, (_, m) => Math.max(0, m * 30.44 - 31));
const ELAPSED_MAX = Math.ceil(ELAPSED_SPAN[MAX_TERM] as number);

const CURRENCIES = ['EUR', 'USD'];
const PROJECTION = ['EUR_EURIBOR_3M', 'USD_SOFR_3M'];
const DISCOUNT = ['EUR_ESTR_OIS', 'USD_SOFR_OIS'];
const SCHEDULE_ROWS_MAX = 21; // semiannual over ≤ 10 years
/** ccy, notional, day count, frequency, branch, margin, term, elapsed, next reset, floor, cpr/tdrr */
const DRAWS_PER_ROW_MAX = 11;
/** Draws fillRows takes for a row of each product (the stream position of a row range's first row). */
const DRAWS_PER_ROW = Uint8Array.from(DRAWS, (x) => {
  const common = 5 + (x.segment === TREASURY ? 0 : 1); // ccy, notional, day count, frequency, margin (+ branch)
  if (x.nmd >= 0) return common;
  return common + 2 + (x.floating ? 1 + (x.hasFloor ? 1 : 0) : 0) + (x.hasCpr ? 1 : 0) + (x.hasTdrr ? 1 : 0);
});

/** Typed columns, on SharedArrayBuffer when asked (a book several threads read without a copy). */
function allocator(shared: boolean) {
  const buffer = (bytes: number): ArrayBuffer | SharedArrayBuffer => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    f64: (n: number) => new Float64Array(buffer(8 * n)),
    i32: (n: number) => new Int32Array(buffer(4 * n)),
    u16: (n: number) => new Uint16Array(buffer(2 * n)),
    u8: (n: number) => new Uint8Array(buffer(n)),
    i8: (n: number) => new Int8Array(buffer(n)),
  };
}
type Allocator = ReturnType<typeof allocator>;
const emptyDictionary = (values: readonly string[], length: number, alloc: Allocator) => ({ codes: alloc.i32(length).fill(-1), values: [...values] });
const round2 = (x: number): number => Math.round(x * 100) / 100;
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
/** '000'..'999': ids are built as block prefix + suffix (one short copy each instead of 1M number formats). */
const ID_SUFFIXES = Array.from({ length: 1000 }, (_, k) => String(k).padStart(3, '0'));

/** 'P0000001', 'P0000002', …: serial = row + 1, zero-padded to at least seven digits; rows [from, to). */
function positionIds(from: number, to: number): string[] {
  const ids = new Array<string>(to - from);
  for (let block = Math.floor((from + 1) / 1000); block * 1000 <= to; block++) {
    const prefix = `P${String(block).padStart(4, '0')}`;
    const last = Math.min(to, block * 1000 + 999);
    for (let serial = Math.max(from + 1, block * 1000); serial <= last; serial++) ids[serial - 1 - from] = prefix + (ID_SUFFIXES[serial - block * 1000] as string);
  }
  return ids;
}

/**
 * addMonths(asOf − elapsed, term, false) as table loads: the start's month and day of month for every
 * elapsed a row can draw, and the month starts up to MAX_TERM + 1 months past as_of. Same arithmetic
 * as addMonths (day of month clamped to the target month's length), so the same day numbers.
 */
interface MaturityTable {
  startMonth: Int32Array;
  startDay: Int32Array;
  monthStarts: Int32Array;
}

function maturityTable(asOf: number): MaturityTable {
  const firstMonth = monthIndexOf(asOf - ELAPSED_MAX);
  const months = monthIndexOf(asOf) + MAX_TERM + 2 - firstMonth;
  const startMonth = new Int32Array(ELAPSED_MAX + 1);
  const startDay = new Int32Array(ELAPSED_MAX + 1);
  for (let elapsed = 0; elapsed <= ELAPSED_MAX; elapsed++) {
    const day = asOf - elapsed;
    const month = monthIndexOf(day);
    startMonth[elapsed] = month - firstMonth;
    startDay[elapsed] = day - monthStart(month) + 1;
  }
  return { startMonth, startDay, monthStarts: Int32Array.from({ length: months + 1 }, (_, k) => monthStart(firstMonth + k)) };
}

export interface SyntheticOptions {
  positions: number;
  asOf: string;
  seed?: number;
  /** columns on SharedArrayBuffer (same values): for runs split over threads (shared-columns.ts) */
  shared?: boolean;
  /**
   * Only rows [from, to) of the book of `positions` rows: row k of the result is row from + k of
   * the whole book, byte for byte (schedules point at the result's rows). A loader that splits one
   * book over threads builds each part where it is computed.
   */
  rows?: { from: number; to: number };
}

export function syntheticBalanceSheet(options: SyntheticOptions): { positions: PositionColumns; schedules: ScheduleColumns; curves: CurveRow[] } {
  const total = options.positions;
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`positions must be a whole number ≥ 0, got ${total}`);
  const from = options.rows?.from ?? 0;
  const to = options.rows?.to ?? total;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to > total) {
    throw new RangeError(`rows must be whole numbers with 0 ≤ from ≤ to ≤ positions (${total}), got ${from}..${to}`);
  }
  const n = to - from;
  const asOf = requireDate(options.asOf);
  const alloc = allocator(options.shared === true);

  const curveRows = syntheticCurveRows(options.asOf);
  const curveMap = curvesFor(curveRows);
  const projection = PROJECTION.map((id) => curveMap.get(id) as ZeroCurve);
  const discount = DISCOUNT.map((id) => curveMap.get(id) as ZeroCurve);
  // Zero rates by whole original term in months (0..MAX_TERM), so the row loop never interpolates.
  const byTerm = (curves: ZeroCurve[]): Float64Array[] => curves.map((c) => Float64Array.from({ length: MAX_TERM + 1 }, (_, m) => c.zero(m / 12)));
  const market: Market = {
    index3m: Float64Array.from(projection, (c) => c.zero(0.25)),
    overnight: Float64Array.from(discount, (c) => c.zero(0)),
    projectionByTerm: byTerm(projection),
    discountByTerm: byTerm(discount),
  };

  const p: PositionColumns = {
    length: n,
    id: [],
    side: alloc.i8(n),
    product: emptyDictionary(PRODUCTS.map((x) => x.name), n, alloc),
    currency: emptyDictionary(CURRENCIES, n, alloc),
    notional: alloc.f64(n),
    startDate: alloc.i32(n).fill(NO_DATE),
    maturityDate: alloc.i32(n).fill(NO_DATE),
    amortization: alloc.u8(n),
    rateType: alloc.u8(n),
    rate: alloc.f64(n),
    index: emptyDictionary(PROJECTION, n, alloc),
    spread: alloc.f64(n).fill(Number.NaN),
    paymentFrequencyMonths: alloc.u16(n),
    resetFrequencyMonths: alloc.u16(n),
    nextResetDate: alloc.i32(n).fill(NO_DATE),
    dayCount: alloc.u8(n),
    floor: alloc.f64(n).fill(Number.NaN),
    cap: alloc.f64(n).fill(Number.NaN),
    nmdCategory: alloc.i8(n).fill(-1),
    cpr: alloc.f64(n).fill(Number.NaN),
    tdrr: alloc.f64(n).fill(Number.NaN),
    attributes: { segment: emptyDictionary(SEGMENTS, n, alloc), branch: emptyDictionary(BRANCHES, n, alloc) },
  };

  // One stream of draws in the order the row-by-row generator made them: every row's product (draw
  // r for row r), then each row's terms from draw `total` on, DRAWS_PER_ROW[product] per row.
  const seed = options.seed ?? 1;
  const scheduledCount = drawProducts(new RandomStream(seed, from), p.product.codes);
  const capacity = scheduledCount * SCHEDULE_ROWS_MAX;
  const schedules: ScheduleColumns = { length: 0, positionIndex: new Int32Array(capacity), date: new Int32Array(capacity), principal: new Float64Array(capacity) };
  fillRows(p, schedules, new RandomStream(seed, total + termDrawsBefore(seed, from)), asOf, market);
  const length = schedules.length;
  const trimmed = { length, positionIndex: schedules.positionIndex.slice(0, length), date: schedules.date.slice(0, length), principal: schedules.principal.slice(0, length) };
  // Ids last: the columns' memory is off-heap, and the GCs it prompts are cheap while the heap does not yet hold 1M strings.
  p.id = positionIds(from, to);
  return { positions: p, schedules: trimmed, curves: curveRows };
}

interface Market {
  index3m: Float64Array;
  overnight: Float64Array;
  projectionByTerm: Float64Array[];
  discountByTerm: Float64Array[];
}

/** Product of every row by cumulative weight; returns how many are scheduled (the schedule buffer's size). */
function drawProducts(random: RandomStream, codes: Int32Array): number {
  const draws = random.values;
  let scheduled = 0;
  for (let i = 0; i < codes.length; i++) {
    random.reserve(1);
    const u = draws[random.next++] as number;
    let k = FIRST_PRODUCT[Math.floor(u * PRODUCT_BUCKETS)] as number;
    while (k < PRODUCTS.length - 1 && u >= (CUMULATIVE_WEIGHTS[k] as number)) k++;
    codes[i] = k;
    if ((DRAWS[k] as Draws).amortization === SCHEDULED) scheduled++;
  }
  return scheduled;
}

/** The draws fillRows takes for rows [0, rows) of the book: their products decide. */
function termDrawsBefore(seed: number, rows: number): number {
  if (rows === 0) return 0;
  const random = new RandomStream(seed);
  const draws = random.values;
  let count = 0;
  for (let i = 0; i < rows; i++) {
    random.reserve(1);
    const u = draws[random.next++] as number;
    let k = FIRST_PRODUCT[Math.floor(u * PRODUCT_BUCKETS)] as number;
    while (k < PRODUCTS.length - 1 && u >= (CUMULATIVE_WEIGHTS[k] as number)) k++;
    count += DRAWS_PER_ROW[k] as number;
  }
  return count;
}

/**
 * Every column but the product of every row, and the scheduled rows' principal flows.
 * Its own function, apart from the product pass, so the optimiser compiles this loop once, small.
 */
function fillRows(p: PositionColumns, schedules: ScheduleColumns, random: RandomStream, asOf: number, market: Market): void {
  const { side, notional, startDate, maturityDate, amortization, rateType, rate, spread, dayCount, floor, nmdCategory, cpr, tdrr } = p;
  const { paymentFrequencyMonths, resetFrequencyMonths, nextResetDate } = p;
  const productCodes = p.product.codes;
  const currencyCodes = p.currency.codes;
  const indexCodes = p.index.codes;
  const segmentCodes = (p.attributes.segment as { codes: Int32Array }).codes;
  const branchCodes = (p.attributes.branch as { codes: Int32Array }).codes;
  const { index3m, overnight, projectionByTerm, discountByTerm } = market;
  const { startMonth, startDay, monthStarts } = maturityTable(asOf);
  const oneMonthOn = addMonths(asOf, 1, false);
  const draws = random.values;
  let d = random.next;

  for (let i = 0; i < p.length; i++) {
    if (d > RANDOM_BLOCK - DRAWS_PER_ROW_MAX) {
      random.next = d;
      random.reserve(DRAWS_PER_ROW_MAX);
      d = 0;
    }
    const code = productCodes[i] as number;
    const spec = DRAWS[code] as Draws;
    const ccy = (draws[d++] as number) < 0.7 ? 0 : 1;
    side[i] = spec.side;
    currencyCodes[i] = ccy;
    const amount = round2(spec.notionalLow * Math.exp(spec.logNotionalRange * (draws[d++] as number)));
    notional[i] = amount;
    amortization[i] = spec.amortization;
    dayCount[i] = spec.dayCounts[Math.floor((draws[d++] as number) * spec.dayCounts.length)] as number;
    const frequency = spec.frequencies[Math.floor((draws[d++] as number) * spec.frequencies.length)] as number;
    paymentFrequencyMonths[i] = frequency;
    segmentCodes[i] = spec.segment;
    branchCodes[i] = spec.segment === TREASURY ? BRANCHES.length - 1 : ccy === 0 ? Math.floor((draws[d++] as number) * EUR_BRANCHES) : EUR_BRANCHES + Math.floor((draws[d++] as number) * 3);

    const margin = spec.marginLow + spec.marginSpan * (draws[d++] as number);
    if (spec.nmd >= 0) {
      nmdCategory[i] = spec.nmd;
      // Wholesale deposits pay overnight less a discount; retail pays an administered rate.
      rate[i] = round6(spec.nmd === 2 ? Math.max(0, (overnight[ccy] as number) - margin) : margin);
      continue;
    }

    // Originated `elapsed` days ago with an original term of `term` months; ≥ ~1 month left.
    const term = Math.round(spec.termLow + spec.termSpan * (draws[d++] as number));
    const elapsed = Math.floor((draws[d++] as number) * (ELAPSED_SPAN[term] as number));
    const start = asOf - elapsed;
    const month = (startMonth[elapsed] as number) + term;
    const first = monthStarts[month] as number;
    const length = (monthStarts[month + 1] as number) - first;
    const day = startDay[elapsed] as number;
    let maturity = first + (day > length ? length : day) - 1;
    if (maturity <= asOf) maturity = oneMonthOn;
    startDate[i] = start;
    maturityDate[i] = maturity;

    if (spec.floating) {
      const reset = 3;
      rateType[i] = 1;
      indexCodes[i] = ccy;
      spread[i] = round6(margin);
      resetFrequencyMonths[i] = reset;
      nextResetDate[i] = asOf + 1 + Math.floor((draws[d++] as number) * Math.min(reset * 30, maturity - asOf - 1));
      rate[i] = round6(Math.max(0, (index3m[ccy] as number) + margin));
      if (spec.hasFloor && (draws[d++] as number) < spec.floorShare) floor[i] = 0;
    } else if (spec.discountPriced) {
      rate[i] = round6(Math.max(0, ((discountByTerm[ccy] as Float64Array)[term] as number) - margin));
    } else {
      rate[i] = round6(((projectionByTerm[ccy] as Float64Array)[term] as number) + margin);
    }
    if (spec.hasCpr) cpr[i] = round4(spec.cprLow + spec.cprSpan * (draws[d++] as number));
    if (spec.hasTdrr) tdrr[i] = round4(spec.tdrrLow + spec.tdrrSpan * (draws[d++] as number));
    if (spec.amortization === SCHEDULED) addSchedule(schedules, i, asOf, start, maturity, frequency, amount);
  }
  random.next = d;
}

/** 60% amortises in equal instalments on the payment dates; the rest is a balloon left for maturity (§3 residual). */
function addSchedule(s: ScheduleColumns, i: number, asOf: number, start: number, maturity: number, frequency: number, amount: number): void {
  const dates = paymentSchedule(asOf, maturity, frequency, start).dates;
  const each = round2((0.6 * amount) / dates.length);
  let at = s.length;
  for (let k = 0; k < dates.length; k++) {
    s.positionIndex[at] = i;
    s.date[at] = dates[k] as number;
    s.principal[at] = each;
    at++;
  }
  s.length = at;
}
