import type { ScenarioMarket } from '../cashflows/scenario-market.ts';
import type { Horizon } from './horizon.ts';
import type { RenewalRates } from './renewal-rates.ts';

const TERMS = 1201;

/**
 * Renewal volumes of one dimension: a block per (currency, term, group), allocated on first use
 * (the pairs are sparse), holding every scenario set side by side so a contract's behaviour
 * variants land in the same cache lines: [m·sets + set]. Kept like MonthSums: partial months
 * directly (m < H), then the per-day volume as a running rate from the month after a renewal
 * starts (at H + m, m ≤ H); renewals run to the horizon end.
 */
class Blocks {
  /** (ccy·TERMS + term)·groups + group → block number */
  private readonly blockOf = new Map<number, number>();
  values = new Float64Array(0);
  keys = new Int32Array(0);
  groups = new Int32Array(0);
  count = 0;
  readonly blockSize: number;

  constructor(
    private readonly groupCount: number,
    months: number,
    readonly sets: number,
  ) {
    this.blockSize = sets * (2 * months + 1);
  }

  /** Offset of the (key, group) block in `values`. */
  block(key: number, group: number): number {
    const at = key * this.groupCount + group;
    let b = this.blockOf.get(at);
    if (b === undefined) {
      b = this.count++;
      if (b >= this.keys.length) this.grow();
      this.keys[b] = key;
      this.groups[b] = group;
      this.blockOf.set(at, b);
    }
    return b * this.blockSize;
  }

  private grow(): void {
    const size = Math.max(256, this.keys.length * 2);
    const values = new Float64Array(size * this.blockSize);
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
 * volume total per term — two writes per renewal, no per-contract month arrays.
 * Instantly shocked scenarios only; ramp scenarios price each renewal date and stay per contract.
 */
export class FixedRenewalBook {
  private readonly blocks: Blocks[];
  private readonly months: number;

  constructor(
    groupCounts: readonly number[],
    private readonly horizon: Horizon,
    private readonly currencies: number,
    private readonly sets: number,
  ) {
    this.months = horizon.months;
    this.blocks = groupCounts.map((count) => new Blocks(count, horizon.months, sets));
  }

  /** blocksOut[d] = the block of (ccy, term) and groups[d] in dimension d (rowOf gives a set's row). */
  blocksFor(ccy: number, term: number, groups: Int32Array, blocksOut: Int32Array): void {
    const key = ccy * TERMS + term;
    for (let d = 0; d < this.blocks.length; d++) blocksOut[d] = (this.blocks[d] as Blocks).block(key, groups[d] as number);
  }

  /** The row of scenario set `set` in a block (addToEnd's r). */
  rowOf(block: number, set: number): number {
    return block + set;
  }

  /** A renewal of perDay volume from day offset lo (≥ 0, inside the horizon) to the horizon end, in row r of dimension d. */
  addToEnd(d: number, r: number, perDay: number, lo: number): void {
    this.addToEndAt(d, r, perDay, lo, this.horizon.monthOf(lo));
  }

  /** addToEnd() with first = monthOf(lo) known. */
  addToEndAt(d: number, r: number, perDay: number, lo: number, first: number): void {
    const blocks = this.blocks[d] as Blocks;
    const values = blocks.values;
    const sets = blocks.sets;
    values[r + first * sets]! += perDay * ((this.horizon.start[first + 1] as number) - lo);
    values[r + (this.months + first + 1) * sets]! += perDay;
  }

  /**
   * perScenario[s][d][g·months + m] += zero_s(ccy, term)·volume for every scenario s of the set
   * that is not a ramp; `sets[set]` lists a set's scenarios.
   */
  price(rates: RenewalRates, markets: readonly ScenarioMarket[], sets: readonly (readonly number[])[], perScenario: Float64Array[][]): void {
    const H = this.months;
    const start = this.horizon.start;
    const volume = new Float64Array(H);
    this.blocks.forEach((blocks, d) => {
      for (let b = 0; b < blocks.count; b++) {
        const key = blocks.keys[b] as number;
        const term = key % TERMS;
        const ccy = Math.floor(key / TERMS);
        const from = (blocks.groups[b] as number) * H;
        for (let set = 0; set < this.sets; set++) {
          const row = b * blocks.blockSize + set;
          const width = blocks.sets;
          let perDay = 0;
          let any = false;
          for (let m = 0; m < H; m++) {
            perDay += blocks.values[row + (H + m) * width] as number;
            volume[m] = (blocks.values[row + m * width] as number) + perDay * ((start[m + 1] as number) - (start[m] as number));
            if (volume[m] !== 0) any = true;
          }
          if (!any) continue;
          for (const s of sets[set] as readonly number[]) {
            if ((markets[s] as ScenarioMarket).scenario.rampMonths > 0) continue;
            const zero = rates.zero(s, ccy, term);
            const target = perScenario[s]![d] as Float64Array;
            for (let m = 0; m < H; m++) target[from + m]! += zero * (volume[m] as number);
          }
        }
      }
    });
  }
}
