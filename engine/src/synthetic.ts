/**
 * A deterministic synthetic bank for benchmarks, the demo workspace and tests elsewhere.
 * Typed arrays are filled directly (no per-row objects) so 1M positions build in a few hundred ms.
 * Every row is valid per methodology §1.1.
 */
import type { CurveRow } from './curve-set.ts';
import { zeroCurve, type ZeroCurve } from './curve.ts';
import { addMonths, parseIsoDate } from './dates.ts';
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

/** mulberry32: small, fast, and identical on every platform for a given seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

const CURRENCIES = ['EUR', 'USD'];
const PROJECTION = ['EUR_EURIBOR_3M', 'USD_SOFR_3M'];
const DISCOUNT = ['EUR_ESTR_OIS', 'USD_SOFR_OIS'];
const SCHEDULE_ROWS_MAX = 21; // semiannual over ≤ 10 years

const emptyDictionary = (values: readonly string[], length: number) => ({ codes: new Int32Array(length).fill(-1), values: [...values] });
const round2 = (x: number): number => Math.round(x * 100) / 100;
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
/** '000'..'999': ids are built as block prefix + suffix (cheap cons strings instead of 1M number formats). */
const ID_SUFFIXES = Array.from({ length: 1000 }, (_, k) => String(k).padStart(3, '0'));

export interface SyntheticOptions {
  positions: number;
  asOf: string;
  seed?: number;
}

export function syntheticBalanceSheet(options: SyntheticOptions): { positions: PositionColumns; schedules: ScheduleColumns; curves: CurveRow[] } {
  const n = options.positions;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`positions must be a whole number ≥ 0, got ${n}`);
  const asOf = requireDate(options.asOf);
  const random = prng(options.seed ?? 1);
  const uniform = (range: readonly [number, number]): number => range[0] + (range[1] - range[0]) * random();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

  const curveRows = syntheticCurveRows(options.asOf);
  const curveMap = curvesFor(curveRows);
  const projection = PROJECTION.map((id) => curveMap.get(id) as ZeroCurve);
  const discount = DISCOUNT.map((id) => curveMap.get(id) as ZeroCurve);
  const index3m = Float64Array.from(projection, (c) => c.zero(0.25));
  const overnight = Float64Array.from(discount, (c) => c.zero(0));
  // Zero rates by whole original term in months (0..360), so the row loop never interpolates.
  const byTerm = (curves: ZeroCurve[]): Float64Array[] => curves.map((c) => Float64Array.from({ length: 361 }, (_, m) => c.zero(m / 12)));
  const projectionByTerm = byTerm(projection);
  const discountByTerm = byTerm(discount);
  const logNotionalRange = Float64Array.from(PRODUCTS, (x) => Math.log(x.notional[1] / x.notional[0]));

  const p: PositionColumns = {
    length: n,
    id: new Array<string>(n),
    side: new Int8Array(n),
    product: emptyDictionary(PRODUCTS.map((x) => x.name), n),
    currency: emptyDictionary(CURRENCIES, n),
    notional: new Float64Array(n),
    startDate: new Int32Array(n).fill(NO_DATE),
    maturityDate: new Int32Array(n).fill(NO_DATE),
    amortization: new Uint8Array(n),
    rateType: new Uint8Array(n),
    rate: new Float64Array(n),
    index: emptyDictionary(PROJECTION, n),
    spread: new Float64Array(n).fill(Number.NaN),
    paymentFrequencyMonths: new Uint16Array(n),
    resetFrequencyMonths: new Uint16Array(n),
    nextResetDate: new Int32Array(n).fill(NO_DATE),
    dayCount: new Uint8Array(n),
    floor: new Float64Array(n).fill(Number.NaN),
    cap: new Float64Array(n).fill(Number.NaN),
    nmdCategory: new Int8Array(n).fill(-1),
    cpr: new Float64Array(n).fill(Number.NaN),
    tdrr: new Float64Array(n).fill(Number.NaN),
    attributes: { segment: emptyDictionary(SEGMENTS, n), branch: emptyDictionary(BRANCHES, n) },
  };
  const segment = p.attributes.segment as { codes: Int32Array };
  const branch = p.attributes.branch as { codes: Int32Array };

  const productCodes = new Uint8Array(n);
  let scheduledCount = 0;
  for (let i = 0; i < n; i++) {
    const u = random();
    let k = 0;
    while (k < PRODUCTS.length - 1 && u >= (CUMULATIVE_WEIGHTS[k] as number)) k++;
    productCodes[i] = k;
    if ((PRODUCTS[k] as ProductSpec).amortization === SCHEDULED) scheduledCount++;
  }
  const capacity = scheduledCount * SCHEDULE_ROWS_MAX;
  const sPosition = new Int32Array(capacity);
  const sDate = new Int32Array(capacity);
  const sPrincipal = new Float64Array(capacity);
  let sLength = 0;
  let idPrefix = '';

  for (let i = 0; i < n; i++) {
    const code = productCodes[i] as number;
    const spec = PRODUCTS[code] as ProductSpec;
    const ccy = random() < 0.7 ? 0 : 1;
    const serial = i + 1;
    if (serial % 1000 === 0 || i === 0) idPrefix = `P${String(Math.floor(serial / 1000)).padStart(4, '0')}`;
    p.id[i] = idPrefix + (ID_SUFFIXES[serial % 1000] as string);
    p.side[i] = spec.side;
    p.product.codes[i] = code;
    p.currency.codes[i] = ccy;
    p.notional[i] = round2(spec.notional[0] * Math.exp((logNotionalRange[code] as number) * random()));
    p.amortization[i] = spec.amortization;
    p.dayCount[i] = pick(spec.dayCounts);
    p.paymentFrequencyMonths[i] = pick(spec.frequencies);
    segment.codes[i] = spec.segment;
    branch.codes[i] = spec.segment === TREASURY ? BRANCHES.length - 1 : ccy === 0 ? Math.floor(random() * EUR_BRANCHES) : EUR_BRANCHES + Math.floor(random() * 3);

    const margin = uniform(spec.margin);
    if (spec.nmd !== undefined) {
      p.nmdCategory[i] = spec.nmd;
      // Wholesale deposits pay overnight less a discount; retail pays an administered rate.
      const rate = spec.nmd === 2 ? Math.max(0, (overnight[ccy] as number) - margin) : margin;
      p.rate[i] = round6(rate);
      continue;
    }

    // Originated `elapsed` days ago with an original term of `term` months; ≥ ~1 month left.
    const term = Math.round(uniform(spec.term));
    const elapsed = Math.floor(random() * Math.max(0, term * 30.44 - 31));
    const start = asOf - elapsed;
    let maturity = addMonths(start, term, false);
    if (maturity <= asOf) maturity = addMonths(asOf, 1, false);
    p.startDate[i] = start;
    p.maturityDate[i] = maturity;

    if (spec.floating) {
      const reset = 3;
      p.rateType[i] = 1;
      p.index.codes[i] = ccy;
      p.spread[i] = round6(margin);
      p.resetFrequencyMonths[i] = reset;
      p.nextResetDate[i] = asOf + 1 + Math.floor(random() * Math.min(reset * 30, maturity - asOf - 1));
      p.rate[i] = round6(Math.max(0, (index3m[ccy] as number) + margin));
      if (spec.floorShare !== undefined && random() < spec.floorShare) p.floor[i] = 0;
    } else if (spec.side === -1 && spec.name === 'term_deposit') {
      p.rate[i] = round6(Math.max(0, ((discountByTerm[ccy] as Float64Array)[term] as number) - margin));
    } else {
      p.rate[i] = round6(((projectionByTerm[ccy] as Float64Array)[term] as number) + margin);
    }
    if (spec.cpr) p.cpr[i] = round4(uniform(spec.cpr));
    if (spec.tdrr) p.tdrr[i] = round4(uniform(spec.tdrr));

    if (spec.amortization === SCHEDULED) {
      // 60% amortises in equal semiannual instalments, the rest is a balloon left for maturity (§3 residual).
      const dates = paymentSchedule(asOf, maturity, p.paymentFrequencyMonths[i] as number, start).dates;
      const each = round2((0.6 * (p.notional[i] as number)) / dates.length);
      for (let k = 0; k < dates.length; k++) {
        sPosition[sLength] = i;
        sDate[sLength] = dates[k] as number;
        sPrincipal[sLength] = each;
        sLength++;
      }
    }
  }

  return {
    positions: p,
    schedules: { length: sLength, positionIndex: sPosition.slice(0, sLength), date: sDate.slice(0, sLength), principal: sPrincipal.slice(0, sLength) },
    curves: curveRows,
  };
}
