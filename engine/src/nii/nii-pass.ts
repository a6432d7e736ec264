import { applyMultiplier, monthlyRate } from '../behaviour.ts';
import type { Dimension } from '../breakdown.ts';
import { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { FLOATING, FlowGenerator, NON_MATURING, type FlowOptions } from '../cashflows/generate.ts';
import { NMD_SLOTS, nmdSlot, type NmdPlan } from '../cashflows/nmd-flows.ts';
import type { ScenarioMarket } from '../cashflows/scenario-market.ts';
import type { ScheduleIndex } from '../cashflows/schedule-index.ts';
import type { ScheduleCache } from '../cashflows/schedule-cache.ts';
import { NO_DATE, type PositionColumns } from '../positions.ts';
import { Horizon } from './horizon.ts';
import { nmdInterest } from './nmd-interest.ts';
import { RenewalRates } from './renewal-rates.ts';
import { addFixedNii, type FixedNiiTargets, type RenewalPricing } from './fixed-nii.ts';
import { MonthSums } from './month-sums.ts';
import { FloatingNii } from './floating-nii.ts';
import { renewalBasis } from './renewals.ts';
import { FixedRenewalBook } from './fixed-renewal-book.ts';
import { behaviourVariants } from '../cashflows/variants.ts';

export interface NiiPassInput {
  positions: PositionColumns;
  schedules: ScheduleIndex | undefined;
  asOf: number;
  horizonMonths: number;
  /** instantly and fully shocked markets (renewal rates); scenario 0 is base */
  markets: ScenarioMarket[];
  /** markets whose curves carry the ramp (floating fixings); the same as `markets` without ramps */
  projectionMarkets: ScenarioMarket[];
  dims: Dimension[];
  nmd: NmdPlan;
  /** day offsets covered by the market grids */
  span: number;
  balanceSheet: 'constant' | 'runoff';
  /** shared between passes of one run (optional) */
  scheduleCache?: ScheduleCache;
  /** positions [from, to) only (default all): results of disjoint ranges add up (partitioned runs) */
  from?: number;
  to?: number;
  onProgress?: (fraction: number) => void;
}

export interface NiiValues {
  /** byGroup[d][s][g]: NII over the horizon of group g of dimension d in scenario s */
  byGroup: Float64Array[][];
  /** profile[s][m]: NII of month m */
  profile: Float64Array[];
}

/**
 * NII = interest income − interest expense accrued over the horizon (methodology §7), monthly.
 * Fixed contracts without behaviour are projected once; only their renewals depend on the scenario,
 * through one rate per (scenario, currency, term) applied to a precomputed renewal volume.
 */
export function niiPass(input: NiiPassInput): NiiValues {
  const { positions: p, asOf, markets, dims } = input;
  const horizon = new Horizon(asOf, input.horizonMonths);
  const H = horizon.months;
  const S = markets.length;
  const constant = input.balanceSheet === 'constant';
  const fixed = dims.map((d) => new Float64Array(d.count * H));
  const perScenario = markets.map(() => dims.map((d) => new Float64Array(d.count * H)));
  const nmdBalance = dims.map((d) => new Float64Array(d.count * NMD_SLOTS));
  const nmdRateBalance = dims.map((d) => new Float64Array(d.count * NMD_SLOTS));
  const rates = new RenewalRates(markets);
  const generator = new FlowGenerator(p, input.schedules, asOf, asOf + input.span - 1, input.scheduleCache);
  const buffer = new FlowBuffer();
  const contractual = new FlowBuffer();
  const scenarioBuffers = markets.map(() => new FlowBuffer());
  const projections: Float64Array[] = markets.map(() => new Float64Array(0));
  const behaviourRates = new Float64Array(S);
  const options: FlowOptions = { asOf, annualBehaviourRate: 0, projection: null, truncateAtReset: false, untilDay: horizon.endDay };
  const monthly = new Float64Array(H);
  const groups = new Int32Array(dims.length);
  const variants = behaviourVariants(markets);
  const allScenarios = markets.map((_, s) => s);
  const sets: number[][] = [allScenarios, ...variants.asset.map((v) => v.scenarios), ...variants.liability.map((v) => v.scenarios)];
  // fixed contracts: accrual and renewal margin per scenario set (set 0 is scenario-independent),
  // renewal at the zero rate per scenario; month sums without per-contract month arrays (month-sums.ts)
  const setSums = sets.map(() => dims.map((d) => new MonthSums(horizon, d.count)));
  // per scenario: floating contracts' accrual and renewals, ramped fixed renewals
  const scenarioSums = markets.map(() => dims.map((d) => new MonthSums(horizon, d.count)));
  const floatingNii = new FloatingNii(horizon);
  const rampScenarios = allScenarios.filter((s) => (markets[s] as ScenarioMarket).scenario.rampMonths > 0);
  const rampedOf = sets.map((list) => list.filter((s) => (markets[s] as ScenarioMarket).scenario.rampMonths > 0));
  const pricing: RenewalPricing = {
    scenarios: [],
    zeros: new Float64Array(S),
    baseZero: 0,
    ramped: markets.map((m) => (m.scenario.rampMonths > 0 ? m.scenario : null)),
  };
  const book = new FixedRenewalBook(
    dims.map((d) => d.count),
    horizon,
    Math.max(1, markets[0]?.discountCurve.length ?? 1),
  );
  const targets: FixedNiiTargets = { interest: [], book, bookRows: new Int32Array(dims.length), zero: scenarioSums };

  const oneBuffer: FlowBuffer[] = [buffer];
  const oneProjection: Float64Array[] = [new Float64Array(0)];
  const oneSums: MonthSums[][] = [[]];

  const from = input.from ?? 0;
  const to = input.to ?? p.length;
  for (let i = from; i < to; i++) {
    if ((i & 0xffff) === 0 && input.onProgress) input.onProgress((i - from) / Math.max(1, to - from));
    for (let d = 0; d < dims.length; d++) groups[d] = (dims[d] as Dimension).group[i] as number;
    const sign = p.side[i] as number;
    if (p.amortization[i] === NON_MATURING) {
      const slot = nmdSlot(p.nmdCategory[i] as number);
      for (let d = 0; d < dims.length; d++) {
        const at = (groups[d] as number) * NMD_SLOTS + slot;
        nmdBalance[d]![at]! += sign * (p.notional[i] as number);
        nmdRateBalance[d]![at]! += sign * (p.notional[i] as number) * (p.rate[i] as number);
      }
      continue;
    }
    const maturity = p.maturityDate[i] as number;
    if (maturity === NO_DATE || maturity <= asOf) continue;
    if (!generator.prepare(i)) continue;
    const ccy = p.currency.codes[i] as number;
    const floating = p.rateType[i] === FLOATING;
    const asset = sign > 0;
    const annual = asset ? (p.cpr[i] as number) : (p.tdrr[i] as number);
    const behaves = annual > 0;
    // §7: renewal at the scenario rate for the original term + margin over the base curve at that term
    const start = p.startDate[i] as number;
    const term = RenewalRates.termMonths(start !== NO_DATE && start < maturity ? start : asOf, maturity);
    const margin = (p.rate[i] as number) - rates.zero(0, ccy, term);

    if (!floating) {
      // fixed: one projection per behaviour variant (×0.8 / ×1 / ×1.2); only renewal rates differ per scenario
      const list = behaves ? (asset ? variants.asset : variants.liability) : null;
      const runs = list === null ? 1 : list.length;
      const derive = list !== null && generator.derivesBehaviour;
      options.projection = null;
      if (derive) {
        options.annualBehaviourRate = 0;
        generator.run(options, contractual);
      }
      if (constant) {
        pricing.baseZero = rates.zero(0, ccy, term);
        for (const s of rampScenarios) pricing.zeros[s] = rates.zero(s, ccy, term);
      }
      const basis = renewalBasis(p.dayCount[i] as number);
      for (let v = 0; v < runs; v++) {
        const rate = list === null ? 0 : applyMultiplier(annual, list[v]!.multiplier);
        // scenario sets: 0 = all scenarios (no behaviour), then asset variants, then liability variants
        const set = list === null ? 0 : asset ? 1 + v : 1 + variants.asset.length + v;
        targets.interest = setSums[set] as MonthSums[];
        pricing.scenarios = rampedOf[set] as number[];
        if (constant) book.rowsFor(set, ccy, term, groups, targets.bookRows);
        if (derive) {
          addFixedNii(contractual, p.notional[i] as number, rate > 0 ? monthlyRate(rate) : 0, generator.paymentFrequency, asOf, horizon.endDay, sign, groups, targets, constant ? pricing : null, basis, margin);
        } else {
          options.annualBehaviourRate = rate;
          generator.run(options, buffer);
          addFixedNii(buffer, p.notional[i] as number, 0, generator.paymentFrequency, asOf, horizon.endDay, sign, groups, targets, constant ? pricing : null, basis, margin);
        }
      }
      continue;
    }

    if (generator.sharesCalendarAcrossScenarios) {
      // floating: all scenarios in one calendar walk, then accrual and renewals per scenario
      const index = p.index.codes[i] as number;
      for (let s = 0; s < S; s++) {
        const m = markets[s] as ScenarioMarket;
        projections[s] = (input.projectionMarkets[s] as ScenarioMarket).projection[index] as Float64Array;
        behaviourRates[s] = behaves ? applyMultiplier(annual, asset ? m.cprMultiplier : m.tdrrMultiplier) : 0;
      }
      generator.runScenarios(projections, behaviourRates, horizon.endDay, scenarioBuffers);
      floatingNii.add(scenarioBuffers, p, i, projections, constant, sign, groups, scenarioSums);
      continue;
    }

    // floating with scheduled amortisation: one projection per scenario
    for (let s = 0; s < S; s++) {
      const m = markets[s] as ScenarioMarket;
      const projection = (input.projectionMarkets[s] as ScenarioMarket).projection[p.index.codes[i] as number] as Float64Array;
      options.projection = projection;
      options.annualBehaviourRate = behaves ? applyMultiplier(annual, asset ? m.cprMultiplier : m.tdrrMultiplier) : 0;
      generator.run(options, buffer);
      oneBuffer[0] = buffer;
      oneProjection[0] = projection;
      oneSums[0] = scenarioSums[s] as MonthSums[];
      floatingNii.add(oneBuffer, p, i, oneProjection, constant, sign, groups, oneSums);
    }
  }

  sets.forEach((scenarios, set) => {
    const sums = setSums[set] as MonthSums[];
    if (set === 0) sums.forEach((m, d) => m.finish(fixed[d] as Float64Array));
    else for (const s of scenarios) sums.forEach((m, d) => m.finish(perScenario[s]![d] as Float64Array));
  });
  scenarioSums.forEach((sums, s) => sums.forEach((m, d) => m.finish(perScenario[s]![d] as Float64Array)));
  book.price(rates, markets, sets, perScenario);

  for (let s = 0; s < S; s++) {
    dims.forEach((dim, d) => {
      const target = perScenario[s]![d] as Float64Array;
      for (let g = 0; g < dim.count; g++) {
        for (let c = 0; c < NMD_SLOTS; c++) {
          const at = g * NMD_SLOTS + c;
          const balance = nmdBalance[d]![at] as number;
          if (balance === 0) continue;
          monthly.fill(0);
          nmdInterest(input.nmd, c, balance, nmdRateBalance[d]![at] as number, markets, s, dim.currency[g] as number, horizon, constant, monthly);
          for (let m = 0; m < H; m++) target[g * H + m]! += monthly[m] as number;
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
