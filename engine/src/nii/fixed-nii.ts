import type { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { rampFactor, type Scenario } from '../scenarios.ts';
import type { FixedRenewalBook } from './fixed-renewal-book.ts';
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
  const logSurvival = smm > 0 ? Math.log1p(-smm) : 0;
  const regular = smm > 0 ? Math.exp(frequencyMonths * logSurvival) : 1;
  let balance = +notional; // contractual balance before flow k; `+` keeps the chain unboxed (kernels.ts addDerived)
  let cumulative = 1;
  for (let k = 0; k < n; k++) {
    const day = days[k] as number;
    const start = starts[k] as number;
    const principal = principals[k] as number;
    let interest = interests[k] as number;
    let repaid = principal;
    if (smm > 0) {
      interest *= cumulative;
      if (k === n - 1) repaid = balance * cumulative;
      else {
        const survival = k === 0 ? Math.exp(((frequencyMonths * (day - Math.max(start, asOf))) / (day - start)) * logSurvival) : regular;
        repaid = principal * cumulative + (balance - principal) * cumulative * (1 - survival);
        cumulative *= survival;
      }
      balance -= principal;
    }
    if (interest !== 0 && day > start) {
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
