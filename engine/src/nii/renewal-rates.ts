import type { ScenarioMarket } from '../cashflows/scenario-market.ts';

/** Longest renewal term looked up, in months; longer terms use this one (flat curve end anyway). */
const MAX_TERM_MONTHS = 1200;

/**
 * Zero rates of each scenario's (fully shocked) discount curve by whole-month term, cached:
 * renewals (§7) ask for the same few terms millions of times.
 */
export class RenewalRates {
  /** zero rate by ((scenario·currencies + currency)·(MAX+1) + term months); NaN until first asked */
  private readonly table: Float64Array;
  private readonly currencies: number;

  constructor(private readonly markets: readonly ScenarioMarket[]) {
    this.currencies = Math.max(1, markets[0]?.discountCurve.length ?? 1);
    this.table = new Float64Array(markets.length * this.currencies * (MAX_TERM_MONTHS + 1)).fill(Number.NaN);
  }

  static termMonths(fromDay: number, toDay: number): number {
    return Math.min(MAX_TERM_MONTHS, Math.max(1, Math.round(((toDay - fromDay) * 12) / 365)));
  }

  zero(scenario: number, currency: number, termMonths: number): number {
    const at = (scenario * this.currencies + currency) * (MAX_TERM_MONTHS + 1) + termMonths;
    let z = this.table[at] as number;
    if (Number.isNaN(z)) {
      const curve = this.markets[scenario]?.discountCurve[currency];
      if (curve === undefined) throw new RangeError(`no discount curve for currency code ${currency}`);
      z = curve.zero(termMonths / 12);
      this.table[at] = z;
    }
    return z;
  }
}
