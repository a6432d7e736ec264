import type { ScenarioMarket } from '../cashflows/scenario-market.ts';
import type { RenewalRates } from './renewal-rates.ts';

const TERMS = 1201;

/** Monthly rows of one dimension, allocated on first use: (key, group) pairs are sparse. */
class Rows {
  /** key·groups + group → row number */
  private readonly rowOf = new Map<number, number>();
  values = new Float64Array(0);
  keys = new Int32Array(0);
  groups = new Int32Array(0);
  count = 0;

  constructor(
    private readonly groupCount: number,
    private readonly months: number,
  ) {}

  /** Offset of the (key, group) row in `values`. */
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
    return r * this.months;
  }

  private grow(): void {
    const size = Math.max(256, this.keys.length * 2);
    const values = new Float64Array(size * this.months);
    values.set(this.values);
    const keys = new Int32Array(size);
    keys.set(this.keys);
    const groups = new Int32Array(size);
    groups.set(this.groups);
    this.values = values;
    this.keys = keys;
    this.groups = groups;
  }
}

/**
 * Fixed-rate renewal volumes (README "nii-renewal") summed by (scenario set, currency, term, group)
 * over all contracts and priced once per scenario at the end. A contract's renewal interest in
 * scenario s is Σ volume·(zero_s(ccy, term) + margin): the margin part does not depend on the
 * scenario (the caller adds it with the contract's accrual), and the zero part only needs the
 * volume total per term — one monthly addition per contract instead of one per scenario.
 * Instantly shocked scenarios only; ramp scenarios price each renewal date and stay per contract.
 */
export class FixedRenewalBook {
  private readonly rows: Rows[];

  constructor(
    groupCounts: readonly number[],
    private readonly months: number,
    private readonly currencies: number,
  ) {
    this.rows = groupCounts.map((count) => new Rows(count, months));
  }

  /** Adds factor·volume[m] to the contract's group of each dimension. */
  add(set: number, ccy: number, term: number, groups: Int32Array, volume: Float64Array, factor: number): void {
    const key = (set * this.currencies + ccy) * TERMS + term;
    const H = this.months;
    for (let d = 0; d < this.rows.length; d++) {
      const rows = this.rows[d] as Rows;
      const at = rows.row(key, groups[d] as number);
      const target = rows.values;
      for (let m = 0; m < H; m++) target[at + m]! += factor * (volume[m] as number);
    }
  }

  /**
   * perScenario[s][d][g·months + m] += zero_s(ccy, term)·volume for every scenario s of the set
   * that is not a ramp; `sets[set]` lists a set's scenarios.
   */
  price(rates: RenewalRates, markets: readonly ScenarioMarket[], sets: readonly (readonly number[])[], perScenario: Float64Array[][]): void {
    const H = this.months;
    this.rows.forEach((rows, d) => {
      for (let r = 0; r < rows.count; r++) {
        const key = rows.keys[r] as number;
        const term = key % TERMS;
        const ccy = Math.floor(key / TERMS) % this.currencies;
        const set = Math.floor(key / TERMS / this.currencies);
        const from = (rows.groups[r] as number) * H;
        for (const s of sets[set] as readonly number[]) {
          if ((markets[s] as ScenarioMarket).scenario.rampMonths > 0) continue;
          const zero = rates.zero(s, ccy, term);
          const target = perScenario[s]![d] as Float64Array;
          for (let m = 0; m < H; m++) target[from + m]! += zero * (rows.values[r * H + m] as number);
        }
      }
    });
  }
}
