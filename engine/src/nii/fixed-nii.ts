import { firstPeriodMonths } from '../behaviour.ts';
import type { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { behaviouralPrincipal, survival } from '../cashflows/survival.ts';
import { rampFactor, type Scenario } from '../scenarios.ts';
import type { FixedRenewalBook } from './fixed-renewal-book.ts';
import type { Horizon } from './horizon.ts';
import type { MonthSums } from './month-sums.ts';

/** Where one fixed-rate contract's NII goes, per breakdown dimension d (rows = its groups). */
export interface FixedNiiTargets {
  /** accrual and renewal margin of the contract's scenario set */
  interest: MonthSums[];
  /** renewal volumes, priced per instantly shocked scenario at the end */
  book: FixedRenewalBook;
  /** the contract's book row per dimension (FixedRenewalBook.rowsFor) */
  bookRows: Int32Array;
  /** ramped scenarios' renewals, priced at each renewal date: zero[s][d] */
  zero: MonthSums[][];
}

/** Renewal pricing of one contract (currency, term) in the ramped scenarios: set by the caller. */
export interface RenewalPricing {
  /** ramped scenarios of the contract's set (priced per renewal date; the others through the book) */
  scenarios: readonly number[];
  /** zero rate of scenario s at the contract's term (fully shocked) */
  zeros: Float64Array;
  /** base zero rate at the contract's term */
  baseZero: number;
  /** per scenario: the scenario when it ramps (a renewal on a later day gets more of the change), else null */
  ramped: readonly (Scenario | null)[];
}

/**
 * NII of one fixed-rate contract under one behaviour variant (methodology §7): the interest of
 * each flow accrued evenly over its period, and on a constant balance sheet every principal repaid
 * inside the horizon renewed at once at zero_s(term) + margin until the horizon end (README
 * "nii-renewal"), accrual fraction days/basis. `flows` are contractual when smm > 0 and the
 * behavioural flows are derived on the fly exactly as deriveBehaviour() derives them (survival
 * (1 − SMM)^f per period, the first period pro rata after as_of); smm = 0 takes them as they are.
 */
export function addFixedNii(
  flows: FlowBuffer,
  /** flows [0, count): up to the first payment on or after the horizon end */
  count: number,
  notional: number,
  smm: number,
  frequencyMonths: number,
  asOf: number,
  endDay: number,
  sign: number,
  groups: Int32Array,
  targets: FixedNiiTargets,
  /** null: run-off balance sheet (no renewals) */
  pricing: RenewalPricing | null,
  basis: number,
  margin: number,
): void {
  const n = count;
  const days = flows.day;
  const starts = flows.accrualStart;
  const interests = flows.interest;
  const principals = flows.principal;
  const dims = groups.length;
  const regular = survival(smm, frequencyMonths);
  let balance = +notional; // contractual balance before flow k; `+` keeps the chain unboxed (kernels.ts addDerived)
  let cumulative = 1;
  let piece = 0; // next accrual piece (scheduled amortisation: the balance changes inside a period)
  for (let k = 0; k < n; k++) {
    const day = days[k] as number;
    const start = starts[k] as number;
    const principal = principals[k] as number;
    let interest = interests[k] as number;
    let repaid = principal;
    const survived = cumulative; // share of the contractual balance left over this period
    if (smm > 0) {
      interest *= cumulative;
      if (k === n - 1) repaid = balance * cumulative;
      else {
        const survived = k === 0 ? survival(smm, firstPeriodMonths(frequencyMonths, start, day, asOf)) : regular;
        repaid = cumulative * behaviouralPrincipal(balance, principal, survived);
        cumulative *= survived;
      }
      balance -= principal;
    }
    if (piece < flows.pieces && flows.pieceFlow[piece] === k) {
      // each balance segment of the period accrues its own interest over its own days (§7);
      // the survival factor scales the whole period (behaviour is settled at payment dates)
      const scale = sign * survived;
      let from = start;
      for (; piece < flows.pieces && flows.pieceFlow[piece] === k; piece++) {
        const to = flows.pieceEnd[piece] as number;
        const amount = flows.pieceInterest[piece] as number;
        if (amount !== 0 && to > from) {
          const perDay = (scale * amount) / (to - from);
          for (let d = 0; d < dims; d++) (targets.interest[d] as MonthSums).add(groups[d] as number, perDay, from - asOf, to - asOf);
        }
        from = to;
      }
    } else if (interest !== 0 && day > start) {
      const perDay = (sign * interest) / (day - start);
      for (let d = 0; d < dims; d++) (targets.interest[d] as MonthSums).add(groups[d] as number, perDay, start - asOf, day - asOf);
    }
    if (pricing === null || repaid === 0 || day >= endDay) continue;
    const volume = (sign * repaid) / basis; // per day of the renewal
    const lo = day - asOf;
    for (let d = 0; d < dims; d++) {
      (targets.interest[d] as MonthSums).addToEnd(groups[d] as number, volume * margin, lo);
      targets.book.addToEnd(d, targets.bookRows[d] as number, volume, lo < 0 ? 0 : lo);
    }
    const list = pricing.scenarios;
    for (let j = 0; j < list.length; j++) {
      const s = list[j] as number;
      const shocked = pricing.zeros[s] as number;
      const ramp = pricing.ramped[s] as Scenario;
      // Renewals.rampedRate: base + ramp share of the change at the renewal date
      const zero = pricing.baseZero + rampFactor(ramp, ((day - asOf) * 12) / 365) * (shocked - pricing.baseZero);
      const sums = targets.zero[s] as MonthSums[];
      for (let d = 0; d < dims; d++) (sums[d] as MonthSums).addToEnd(groups[d] as number, volume * zero, lo);
    }
  }
}

/**
 * addFixedNii for three behaviour variants at once (the regulatory ×0.8 / ×1 / ×1.2), without ramp
 * scenarios: one walk over the contractual flows with the three survival chains side by side; a
 * flow's accrual months and its renewal month are looked up once for the three. Variant v's
 * accrual and renewal margin go to interest[v][d], its renewal volume to book row rows[v][d]
 * (book null: run-off balance sheet). Same operations per variant as addFixedNii. The flows are
 * contractual flows to derive behaviour from (fixed, not scheduled): one rate and one balance over
 * each period, so no accrual pieces.
 */
export function addFixedNii3(
  flows: FlowBuffer,
  count: number,
  notional: number,
  smms: Float64Array,
  frequencyMonths: number,
  horizon: Horizon,
  sign: number,
  groups: Int32Array,
  interest: readonly (readonly MonthSums[])[],
  book: FixedRenewalBook | null,
  rows: readonly Int32Array[],
  basis: number,
  margin: number,
): void {
  const n = count;
  const days = flows.day;
  const starts = flows.accrualStart;
  const interests = flows.interest;
  const principals = flows.principal;
  const dims = groups.length;
  const asOf = horizon.asOf;
  const end = horizon.endOffset;
  const smmA = +(smms[0] as number);
  const smmB = +(smms[1] as number);
  const smmC = +(smms[2] as number);
  // survival(smm, months) = exp(months·log1p(−smm)), the logarithm taken once per lane for the
  // regular and the first period: bit for bit the definition, a third fewer exp/log1p per
  // contract (survival.test.ts pins the lanes to it)
  const logA = smmA > 0 ? Math.log1p(-smmA) : 0;
  const logB = smmB > 0 ? Math.log1p(-smmB) : 0;
  const logC = smmC > 0 ? Math.log1p(-smmC) : 0;
  const regularA = smmA > 0 ? Math.exp(frequencyMonths * logA) : 1;
  const regularB = smmB > 0 ? Math.exp(frequencyMonths * logB) : 1;
  const regularC = smmC > 0 ? Math.exp(frequencyMonths * logC) : 1;
  let balance = +notional; // `+`: unboxed chain (eve/kernels.ts addDerived)
  let cumA = 1;
  let cumB = 1;
  let cumC = 1;
  for (let k = 0; k < n; k++) {
    const day = days[k] as number;
    const start = starts[k] as number;
    const principal = principals[k] as number;
    const contractual = interests[k] as number;
    let flowA = contractual;
    let flowB = contractual;
    let flowC = contractual;
    let repaidA = principal;
    let repaidB = principal;
    let repaidC = principal;
    const last = k === n - 1;
    // the first period counts only the share of it left after as_of
    const share = k === 0 ? firstPeriodMonths(frequencyMonths, start, day, asOf) : 0;
    // survival.ts behaviouralPrincipal written out on the balance left after the principal, shared
    // by the lanes (a call per lane was not always inlined; survival.test.ts pins the lanes)
    const rest = balance - principal;
    if (smmA > 0) {
      flowA *= cumA;
      if (last) repaidA = balance * cumA;
      else {
        const survived = k === 0 ? Math.exp(share * logA) : regularA;
        repaidA = cumA * (principal + rest * (1 - survived));
        cumA *= survived;
      }
    }
    if (smmB > 0) {
      flowB *= cumB;
      if (last) repaidB = balance * cumB;
      else {
        const survived = k === 0 ? Math.exp(share * logB) : regularB;
        repaidB = cumB * (principal + rest * (1 - survived));
        cumB *= survived;
      }
    }
    if (smmC > 0) {
      flowC *= cumC;
      if (last) repaidC = balance * cumC;
      else {
        const survived = k === 0 ? Math.exp(share * logC) : regularC;
        repaidC = cumC * (principal + rest * (1 - survived));
        cumC *= survived;
      }
    }
    balance -= principal;
    // the three variants in a loop over scratch arrays: three call sites V8 inlines, where nine
    // (one per variant and target) went over its inlining budget and passed every amount boxed
    flow3[0] = flowA;
    flow3[1] = flowB;
    flow3[2] = flowC;
    if (day > start) {
      const lo = start - asOf < 0 ? 0 : start - asOf;
      const hi = day - asOf > end ? end : day - asOf;
      if (hi > lo) {
        const first = horizon.monthOf(lo);
        const lastMonth = horizon.monthOf(hi - 1);
        const span = day - start;
        for (let d = 0; d < dims; d++) {
          const g = groups[d] as number;
          for (let v = 0; v < 3; v++) {
            const flow = flow3[v] as number;
            if (flow !== 0) ((interest[v] as readonly MonthSums[])[d] as MonthSums).addSpan(g, (sign * flow) / span, lo, hi, first, lastMonth);
          }
        }
      }
    }
    if (book === null || day - asOf >= end) continue;
    repaid3[0] = repaidA;
    repaid3[1] = repaidB;
    repaid3[2] = repaidC;
    const lo = day - asOf;
    const first = horizon.monthOf(lo);
    for (let d = 0; d < dims; d++) {
      const g = groups[d] as number;
      for (let v = 0; v < 3; v++) {
        const repaid = repaid3[v] as number;
        if (repaid === 0) continue;
        const volume = (sign * repaid) / basis;
        ((interest[v] as readonly MonthSums[])[d] as MonthSums).addToEndAt(g, volume * margin, lo, first);
        book.addToEndAt(d, (rows[v] as Int32Array)[d] as number, volume, lo, first);
      }
    }
  }
}

const flow3 = new Float64Array(3);
const repaid3 = new Float64Array(3);
