import type { ScenarioMarket } from '../cashflows/scenario-market.ts';
import type { Horizon } from './horizon.ts';
import type { RenewalRates } from './renewal-rates.ts';

const TERMS = 1201;

/**
 * Renewal volumes of one dimension by (key, group) row, allocated on first use ((key, group) pairs
 * are sparse), kept like MonthSums: partial months directly, the per-day volume as a running rate
 * from the month after a renewal starts (renewals run to the horizon end).
 */
class Rows {
  /** key·groups + group → row number */
  private readonly rowOf = new Map<number, number>();
  direct = new Float64Array(0);
  rate = new Float64Array(0);
  keys = new Int32Array(0);
  groups = new Int32Array(0);
  count = 0;

  constructor(
    private readonly groupCount: number,
    private readonly months: number,
  ) {}

  row(key: number, group: number): number {
    const at = key * this.groupCount + group;
    let r = this.rowOf.get(at);
    if (r === undefined) {
      r = this.count++;
      if (r >= this.keys.length) this.grow();
      this.keys[r] = key;
      this.groups[r] = group;
      this.rowOf.set(at, r);
    }
    return r;
  }

  private grow(): void {
    const size = Math.max(256, this.keys.length * 2);
    const direct = new Float64Array(size * this.months);
    direct.set(this.direct);
    const rate = new Float64Array(size * (this.months + 1));
    rate.set(this.rate);
    const keys = new Int32Array(size);
    keys.set(this.keys);
    const groups = new Int32Array(size);
    groups.set(this.groups);
    this.direct = direct;
    this.rate = rate;
    this.keys = keys;
    this.groups = groups;
  }
}

/**
 * Fixed-rate renewal volumes (README "nii-renewal") summed by (scenario set, currency, term, group)
 * over all contracts and priced once per scenario at the end. A contract's renewal interest in
 * scenario s is Σ volume·(zero_s(ccy, term) + margin): the margin part does not depend on the
 * scenario (the caller adds it with the contract's accrual), and the zero part only needs the
 * volume total per term — two writes per renewal, no per-contract month arrays.
 * Instantly shocked scenarios only; ramp scenarios price each renewal date and stay per contract.
 */
export class FixedRenewalBook {
  private readonly rows: Rows[];
  private readonly months: number;

  constructor(
    groupCounts: readonly number[],
    private readonly horizon: Horizon,
    private readonly currencies: number,
  ) {
    this.months = horizon.months;
    this.rows = groupCounts.map((count) => new Rows(count, horizon.months));
  }

  /** rowsOut[d] = the row of (set, ccy, term) and groups[d] in dimension d. */
  rowsFor(set: number, ccy: number, term: number, groups: Int32Array, rowsOut: Int32Array): void {
    const key = (set * this.currencies + ccy) * TERMS + term;
    for (let d = 0; d < this.rows.length; d++) rowsOut[d] = (this.rows[d] as Rows).row(key, groups[d] as number);
  }

  /** A renewal of perDay volume from day offset lo (≥ 0, inside the horizon) to the horizon end, in row r of dimension d. */
  addToEnd(d: number, r: number, perDay: number, lo: number): void {
    const rows = this.rows[d] as Rows;
    const first = this.horizon.monthOf(lo);
    const H = this.months;
    rows.direct[r * H + first]! += perDay * ((this.horizon.start[first + 1] as number) - lo);
    rows.rate[r * (H + 1) + first + 1]! += perDay;
  }

  /**
   * perScenario[s][d][g·months + m] += zero_s(ccy, term)·volume for every scenario s of the set
   * that is not a ramp; `sets[set]` lists a set's scenarios.
   */
  price(rates: RenewalRates, markets: readonly ScenarioMarket[], sets: readonly (readonly number[])[], perScenario: Float64Array[][]): void {
    const H = this.months;
    const start = this.horizon.start;
    const volume = new Float64Array(H);
    this.rows.forEach((rows, d) => {
      for (let r = 0; r < rows.count; r++) {
        let perDay = 0;
        for (let m = 0; m < H; m++) {
          perDay += rows.rate[r * (H + 1) + m] as number;
          volume[m] = (rows.direct[r * H + m] as number) + perDay * ((start[m + 1] as number) - (start[m] as number));
        }
        const key = rows.keys[r] as number;
        const term = key % TERMS;
        const ccy = Math.floor(key / TERMS) % this.currencies;
        const set = Math.floor(key / TERMS / this.currencies);
        const from = (rows.groups[r] as number) * H;
        for (const s of sets[set] as readonly number[]) {
          if ((markets[s] as ScenarioMarket).scenario.rampMonths > 0) continue;
          const zero = rates.zero(s, ccy, term);
          const target = perScenario[s]![d] as Float64Array;
          for (let m = 0; m < H; m++) target[from + m]! += zero * (volume[m] as number);
        }
      }
    });
  }
}
