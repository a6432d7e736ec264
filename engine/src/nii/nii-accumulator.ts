import { applyMultiplier, monthlyRate } from '../behaviour.ts';
import type { Dimension } from '../breakdown.ts';
import { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { flowOptions, type FlowGenerator, type FlowOptions } from '../cashflows/generate.ts';
import { NMD_SLOTS, nmdSlot, type NmdPlan } from '../cashflows/nmd-flows.ts';
import type { ScenarioMarket } from '../cashflows/scenario-market.ts';
import { behaviourVariants, type BehaviourVariant } from '../cashflows/variants.ts';
import { DAY_COUNTS, NO_DATE, type PositionColumns } from '../positions.ts';
import { addFixedNii, addFixedNii3, type FixedNiiTargets, type RenewalPricing } from './fixed-nii.ts';
import { FixedRenewalBook } from './fixed-renewal-book.ts';
import { FloatingNii } from './floating-nii.ts';
import { Horizon } from './horizon.ts';
import { MonthSums } from './month-sums.ts';
import { nmdInterest } from './nmd-interest.ts';
import { RenewalRates } from './renewal-rates.ts';
import { renewalBasis } from './renewals.ts';

export interface NiiSettings {
  positions: PositionColumns;
  asOf: number;
  horizonMonths: number;
  /** instantly and fully shocked markets (renewal rates); scenario 0 is base */
  markets: ScenarioMarket[];
  /** markets whose curves carry the ramp (floating fixings); the same as `markets` without ramps */
  projectionMarkets: ScenarioMarket[];
  dims: Dimension[];
  nmd: NmdPlan;
  balanceSheet: 'constant' | 'runoff';
}

export interface NiiValues {
  /** byGroup[d][s][g]: NII over the horizon of group g of dimension d in scenario s */
  byGroup: Float64Array[][];
  /** profile[s][m]: NII of month m */
  profile: Float64Array[];
}

/**
 * NII = interest income − interest expense accrued over the horizon (methodology §7), monthly,
 * summed contract by contract: nmd(), fixed() and floating() take a prepared contract (and, when
 * the caller has them, its flows — the EVE pass shares its projections), finish() gives the
 * values. Fixed contracts are projected once per behaviour variant; only their renewals depend on
 * the scenario, through a renewal book priced per (scenario, currency, term) at the end.
 */
export class NiiAccumulator {
  readonly horizon: Horizon;
  /** per scenario, for callers that capture floating flows up to the horizon (floating()) */
  readonly scenarioBuffers: FlowBuffer[];
  private readonly p: PositionColumns;
  private readonly asOf: number;
  private readonly S: number;
  private readonly constant: boolean;
  private readonly markets: ScenarioMarket[];
  private readonly projectionMarkets: ScenarioMarket[];
  private readonly dims: Dimension[];
  private readonly nmdPlan: NmdPlan;
  private readonly nmdBalance: Float64Array[];
  private readonly nmdRateBalance: Float64Array[];
  private readonly rates: RenewalRates;
  private readonly buffer = new FlowBuffer();
  private readonly projections: Float64Array[];
  private readonly behaviourRates: Float64Array;
  private readonly options: FlowOptions;
  readonly groups: Int32Array;
  private readonly variants: { asset: BehaviourVariant[]; liability: BehaviourVariant[] };
  private readonly sets: number[][];
  /** fixed contracts: accrual and renewal margin per scenario set (set 0 is scenario-independent) */
  private readonly setSums: MonthSums[][];
  /** per scenario: floating contracts' accrual and renewals, ramped fixed renewals */
  private readonly scenarioSums: MonthSums[][];
  private readonly floatingNii: FloatingNii;
  private readonly rampScenarios: number[];
  private readonly rampedOf: number[][];
  private readonly pricing: RenewalPricing;
  private readonly book: FixedRenewalBook;
  private readonly targets: FixedNiiTargets;
  private readonly oneBuffer: FlowBuffer[];
  private readonly bookBlocks: Int32Array;
  // addFixedNii3's per-variant arguments, reused
  private readonly smms = new Float64Array(3);
  private readonly interest3: MonthSums[][] = [[], [], []];
  private readonly rows3: Int32Array[];
  private readonly oneProjection: Float64Array[] = [new Float64Array(0)];
  private readonly oneSums: MonthSums[][] = [[]];

  constructor(settings: NiiSettings) {
    const { positions, asOf, markets, dims } = settings;
    this.p = positions;
    this.asOf = asOf;
    this.markets = markets;
    this.projectionMarkets = settings.projectionMarkets;
    this.dims = dims;
    this.nmdPlan = settings.nmd;
    this.horizon = new Horizon(asOf, settings.horizonMonths);
    const horizon = this.horizon;
    this.S = markets.length;
    this.constant = settings.balanceSheet === 'constant';
    // NMD aggregates by (group, category slot, day count): each accrues in its own day count (§1.1)
    this.nmdBalance = dims.map((d) => new Float64Array(d.count * NMD_SLOTS * DAY_COUNTS.length));
    this.nmdRateBalance = dims.map((d) => new Float64Array(d.count * NMD_SLOTS * DAY_COUNTS.length));
    this.rates = new RenewalRates(markets);
    this.scenarioBuffers = markets.map(() => new FlowBuffer());
    this.oneBuffer = [this.buffer];
    this.projections = markets.map(() => new Float64Array(0));
    this.behaviourRates = new Float64Array(this.S);
    this.options = flowOptions(asOf, false, horizon.endDay);
    this.groups = new Int32Array(dims.length);
    this.variants = behaviourVariants(markets);
    const allScenarios = markets.map((_, s) => s);
    this.sets = [allScenarios, ...this.variants.asset.map((v) => v.scenarios), ...this.variants.liability.map((v) => v.scenarios)];
    this.setSums = this.sets.map(() => dims.map((d) => new MonthSums(horizon, d.count)));
    this.scenarioSums = markets.map(() => dims.map((d) => new MonthSums(horizon, d.count)));
    this.floatingNii = new FloatingNii(
      horizon,
      dims.map((d) => d.count),
      this.scenarioSums,
    );
    const ramps = (s: number): boolean => (markets[s] as ScenarioMarket).scenario.rampMonths > 0;
    this.rampScenarios = allScenarios.filter(ramps);
    this.rampedOf = this.sets.map((list) => list.filter(ramps));
    this.pricing = { scenarios: [], zeros: new Float64Array(this.S), baseZero: 0, ramped: markets.map((m) => (m.scenario.rampMonths > 0 ? m.scenario : null)) };
    this.book = new FixedRenewalBook(
      dims.map((d) => d.count),
      horizon,
      Math.max(1, markets[0]?.discountCurve.length ?? 1),
      this.sets.length,
    );
    this.bookBlocks = new Int32Array(dims.length);
    this.rows3 = [0, 1, 2].map(() => new Int32Array(dims.length));
    this.targets = { interest: [], book: this.book, bookRows: new Int32Array(dims.length), zero: this.scenarioSums };
  }

  /** True when the caller's floating flows in `markets` are the ones NII needs (no ramp scenarios). */
  get projectsLikeMarkets(): boolean {
    return this.projectionMarkets === this.markets;
  }

  private setGroups(i: number): void {
    for (let d = 0; d < this.dims.length; d++) this.groups[d] = (this.dims[d] as Dimension).group[i] as number;
  }

  /** A non-maturing deposit: its balance and rate join the aggregate of its category and day count. */
  nmd(i: number): void {
    const p = this.p;
    this.setGroups(i);
    const sign = p.side[i] as number;
    const slot = nmdSlot(p.nmdCategory[i] as number);
    const dayCount = p.dayCount[i] as number;
    for (let d = 0; d < this.dims.length; d++) {
      const at = ((this.groups[d] as number) * NMD_SLOTS + slot) * DAY_COUNTS.length + dayCount;
      this.nmdBalance[d]![at]! += sign * (p.notional[i] as number);
      this.nmdRateBalance[d]![at]! += sign * (p.notional[i] as number) * (p.rate[i] as number);
    }
  }

  /**
   * A prepared fixed-rate contract. `contractual`: its contractual flows (behaviour rate 0) at
   * least up to the first payment on or after the horizon end, when generator.derivesBehaviour and
   * the caller has them; otherwise null and they are projected here.
   */
  fixed(i: number, generator: FlowGenerator, contractual: FlowBuffer | null): void {
    const p = this.p;
    const asOf = this.asOf;
    this.setGroups(i);
    const sign = p.side[i] as number;
    const ccy = p.currency.codes[i] as number;
    const asset = sign > 0;
    const annual = asset ? (p.cpr[i] as number) : (p.tdrr[i] as number);
    // §7: renewal at the scenario rate for the original term + margin over the base curve at that term
    const maturity = p.maturityDate[i] as number;
    const start = p.startDate[i] as number;
    const term = RenewalRates.termMonths(start !== NO_DATE && start < maturity ? start : asOf, maturity);
    const rates = this.rates;
    const margin = (p.rate[i] as number) - rates.zero(0, ccy, term);
    // one projection per behaviour variant (×0.8 / ×1 / ×1.2); only renewal rates differ per scenario
    const list = annual > 0 ? (asset ? this.variants.asset : this.variants.liability) : null;
    const runs = list === null ? 1 : list.length;
    const derive = list !== null && generator.derivesBehaviour;
    const options = this.options;
    options.projection = null;
    // scheduled amortisation: flows between payment dates; a cut at the horizon end is the generator's
    let flows = generator.flowsOnDates ? contractual : null;
    if (derive && flows === null) {
      options.annualBehaviourRate = 0;
      generator.run(options, this.buffer);
      flows = this.buffer;
    }
    const endDay = this.horizon.endDay;
    const count = flows === null ? 0 : untilHorizon(flows, endDay);
    const constant = this.constant;
    const pricing = this.pricing;
    const targets = this.targets;
    const blocks = this.bookBlocks;
    if (constant) {
      this.book.blocksFor(ccy, term, this.groups, blocks);
      pricing.baseZero = rates.zero(0, ccy, term);
      for (const s of this.rampScenarios) pricing.zeros[s] = rates.zero(s, ccy, term);
    }
    const basis = renewalBasis(p.dayCount[i] as number);
    if (derive && runs === 3 && this.rampScenarios.length === 0) {
      // the regulatory ×0.8 / ×1 / ×1.2: one walk for the three variants
      const first = asset ? 1 : 1 + this.variants.asset.length;
      for (let v = 0; v < 3; v++) {
        const rate = applyMultiplier(annual, (list as BehaviourVariant[])[v]!.multiplier);
        this.smms[v] = rate > 0 ? monthlyRate(rate) : 0;
        this.interest3[v] = this.setSums[first + v] as MonthSums[];
        const rows = this.rows3[v] as Int32Array;
        if (constant) for (let d = 0; d < blocks.length; d++) rows[d] = this.book.rowOf(blocks[d] as number, first + v);
      }
      addFixedNii3(flows as FlowBuffer, count, p.notional[i] as number, this.smms, generator.paymentFrequency, this.horizon, sign, this.groups, this.interest3, constant ? this.book : null, this.rows3, basis, margin);
      return;
    }
    for (let v = 0; v < runs; v++) {
      const rate = list === null ? 0 : applyMultiplier(annual, list[v]!.multiplier);
      // scenario sets: 0 = all scenarios (no behaviour), then asset variants, then liability variants
      const set = list === null ? 0 : asset ? 1 + v : 1 + this.variants.asset.length + v;
      targets.interest = this.setSums[set] as MonthSums[];
      pricing.scenarios = this.rampedOf[set] as number[];
      if (constant) for (let d = 0; d < blocks.length; d++) targets.bookRows[d] = this.book.rowOf(blocks[d] as number, set);
      if (derive || (list === null && flows !== null)) {
        const source = flows as FlowBuffer;
        addFixedNii(source, count, p.notional[i] as number, rate > 0 ? monthlyRate(rate) : 0, generator.paymentFrequency, asOf, endDay, sign, this.groups, targets, constant ? pricing : null, basis, margin);
      } else {
        options.annualBehaviourRate = rate;
        generator.run(options, this.buffer);
        addFixedNii(this.buffer, this.buffer.count, p.notional[i] as number, 0, generator.paymentFrequency, asOf, endDay, sign, this.groups, targets, constant ? pricing : null, basis, margin);
      }
    }
  }

  /**
   * A prepared floating contract. `captured`: its flows in every scenario of `markets` up to the
   * first payment on or after the horizon end (FlowGenerator.runScenarios with untilDay = horizon
   * end, or the EVE kernel's capture), only when projectsLikeMarkets; otherwise null and they are
   * projected here.
   */
  floating(i: number, generator: FlowGenerator, captured: readonly FlowBuffer[] | null): void {
    const p = this.p;
    this.setGroups(i);
    const sign = p.side[i] as number;
    const S = this.S;
    const index = p.index.codes[i] as number;
    const asset = sign > 0;
    const annual = asset ? (p.cpr[i] as number) : (p.tdrr[i] as number);
    for (let s = 0; s < S; s++) {
      const m = this.markets[s] as ScenarioMarket;
      this.projections[s] = (this.projectionMarkets[s] as ScenarioMarket).projection[index] as Float64Array;
      this.behaviourRates[s] = annual > 0 ? applyMultiplier(annual, asset ? m.cprMultiplier : m.tdrrMultiplier) : 0;
    }
    if (captured !== null || generator.sharesCalendarAcrossScenarios) {
      // all scenarios in one calendar walk, then accrual and renewals per scenario
      let buffers = captured;
      if (buffers === null) {
        generator.runScenarios(this.projections, this.behaviourRates, this.horizon.endDay, this.scenarioBuffers);
        buffers = this.scenarioBuffers;
      }
      this.floatingNii.add(buffers, p, i, this.projections, this.constant, sign, this.groups, this.scenarioSums);
      return;
    }
    // floating with scheduled amortisation: one projection per scenario
    const options = this.options;
    for (let s = 0; s < S; s++) {
      options.projection = this.projections[s] as Float64Array;
      options.annualBehaviourRate = this.behaviourRates[s] as number;
      generator.run(options, this.buffer);
      this.oneProjection[0] = options.projection;
      this.oneSums[0] = this.scenarioSums[s] as MonthSums[];
      this.floatingNii.add(this.oneBuffer, p, i, this.oneProjection, this.constant, sign, this.groups, this.oneSums);
    }
    options.projection = null;
  }

  finish(): NiiValues {
    const { markets, dims, horizon } = this;
    const H = horizon.months;
    const S = this.S;
    const fixed = dims.map((d) => new Float64Array(d.count * H));
    const perScenario = markets.map(() => dims.map((d) => new Float64Array(d.count * H)));
    this.sets.forEach((scenarios, set) => {
      const sums = this.setSums[set] as MonthSums[];
      if (set === 0) sums.forEach((m, d) => m.finish(fixed[d] as Float64Array));
      else for (const s of scenarios) sums.forEach((m, d) => m.finish(perScenario[s]![d] as Float64Array));
    });
    this.floatingNii.finish();
    this.scenarioSums.forEach((sums, s) => sums.forEach((m, d) => m.finish(perScenario[s]![d] as Float64Array)));
    this.book.price(this.rates, markets, this.sets, perScenario);

    const monthly = new Float64Array(H);
    for (let s = 0; s < S; s++) {
      dims.forEach((dim, d) => {
        const target = perScenario[s]![d] as Float64Array;
        for (let g = 0; g < dim.count; g++) {
          for (let c = 0; c < NMD_SLOTS; c++) {
            for (let dc = 0; dc < DAY_COUNTS.length; dc++) {
              const at = (g * NMD_SLOTS + c) * DAY_COUNTS.length + dc;
              const balance = this.nmdBalance[d]![at] as number;
              if (balance === 0) continue;
              monthly.fill(0);
              nmdInterest(this.nmdPlan, c, dc, balance, this.nmdRateBalance[d]![at] as number, markets, s, dim.currency[g] as number, horizon, this.constant, monthly);
              for (let m = 0; m < H; m++) target[g * H + m]! += monthly[m] as number;
            }
          }
        }
      });
    }

    const byGroup = dims.map((dim, d) =>
      markets.map((_, s) => {
        const values = new Float64Array(dim.count);
        const a = fixed[d] as Float64Array;
        const b = perScenario[s]![d] as Float64Array;
        for (let g = 0; g < dim.count; g++) {
          let sum = 0;
          for (let m = 0; m < H; m++) sum += (a[g * H + m] as number) + (b[g * H + m] as number);
          values[g] = sum;
        }
        return values;
      }),
    );
    const profile = markets.map((_, s) => {
      const out = new Float64Array(H);
      const a = fixed[0] as Float64Array;
      const b = perScenario[s]![0] as Float64Array;
      for (let g = 0; g < (dims[0] as Dimension).count; g++) for (let m = 0; m < H; m++) out[m]! += (a[g * H + m] as number) + (b[g * H + m] as number);
      return out;
    });
    return { byGroup, profile };
  }
}

/** Number of flows up to and including the first on or after endDay (what a run with untilDay = endDay gives). */
function untilHorizon(flows: FlowBuffer, endDay: number): number {
  const days = flows.day;
  const n = flows.count;
  for (let k = 0; k < n; k++) if ((days[k] as number) >= endDay) return k + 1;
  return n;
}
