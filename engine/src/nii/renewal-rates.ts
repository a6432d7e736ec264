import type { ScenarioMarket } from '../cashflows/scenario-market.ts';

/** Longest renewal term looked up, in months; longer terms use this one (flat curve end anyway). */
const MAX_TERM_MONTHS = 1200;

/**
 * Zero rates of each scenario's (fully shocked) discount curve by whole-month term, cached:
 * renewals (§7) ask for the same few terms millions of times.
 */
export class RenewalRates {
  private readonly cache = new Map<number, Float64Array>();

  constructor(private readonly markets: readonly ScenarioMarket[]) {}

  static termMonths(fromDay: number, toDay: number): number {
    return Math.min(MAX_TERM_MONTHS, Math.max(1, Math.round(((toDay - fromDay) * 12) / 365)));
  }

  zero(scenario: number, currency: number, termMonths: number): number {
    const key = scenario * 65536 + currency;
    let table = this.cache.get(key);
    if (table === undefined) {
      table = new Float64Array(MAX_TERM_MONTHS + 1).fill(Number.NaN);
      this.cache.set(key, table);
    }
    let z = table[termMonths] as number;
    if (Number.isNaN(z)) {
      const curve = this.markets[scenario]?.discountCurve[currency];
      if (curve === undefined) throw new RangeError(`no discount curve for currency code ${currency}`);
      z = curve.zero(termMonths / 12);
      table[termMonths] = z;
    }
    return z;
  }
}
