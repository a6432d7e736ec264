import { applyMultiplier } from '../behaviour.ts';
import type { Dimension } from '../breakdown.ts';
import { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { deriveBehaviour } from '../cashflows/derive-behaviour.ts';
import { FLOATING, FlowGenerator, NON_MATURING, type FlowOptions } from '../cashflows/generate.ts';
import { NMD_SLOTS, nmdSlot, type NmdPlan } from '../cashflows/nmd-flows.ts';
import type { ScenarioMarket } from '../cashflows/scenario-market.ts';
import type { ScheduleIndex } from '../cashflows/schedule-index.ts';
import type { ScheduleCache } from '../cashflows/schedule-cache.ts';
import { NO_DATE, type PositionColumns } from '../positions.ts';
import { Horizon } from './horizon.ts';
import { nmdInterest } from './nmd-interest.ts';
import { RenewalRates } from './renewal-rates.ts';
import { Renewals } from './renewals.ts';
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
  const renewals = new Renewals(horizon);
  const generator = new FlowGenerator(p, input.schedules, asOf, asOf + input.span - 1, input.scheduleCache);
  const buffer = new FlowBuffer();
  const contractual = new FlowBuffer();
  const scenarioBuffers = markets.map(() => new FlowBuffer());
  const projections: Float64Array[] = markets.map(() => new Float64Array(0));
  const behaviourRates = new Float64Array(S);
  const options: FlowOptions = { asOf, annualBehaviourRate: 0, projection: null, truncateAtReset: false, untilDay: horizon.endDay };
  const monthly = new Float64Array(H);
  const volume = new Float64Array(H);
  const groups = new Int32Array(dims.length);
  const variants = behaviourVariants(markets);
  const allScenarios = markets.map((_, s) => s);
  const sets: number[][] = [allScenarios, ...variants.asset.map((v) => v.scenarios), ...variants.liability.map((v) => v.scenarios)];
  const rampScenarios = allScenarios.filter((s) => (markets[s] as ScenarioMarket).scenario.rampMonths > 0);
  // fixed contracts' accrual (and renewal margin) per scenario set; set 0 is scenario-independent
  const setInterest = sets.map((_, k) => (k === 0 ? fixed : dims.map((d) => new Float64Array(d.count * H))));
  // with ramps the margin part only joins the instantly shocked scenarios (ramps price it per contract)
  const setMargin = rampScenarios.length === 0 ? [] : sets.map(() => dims.map((d) => new Float64Array(d.count * H)));
  const book = new FixedRenewalBook(
    dims.map((d) => d.count),
    H,
    Math.max(1, markets[0]?.discountCurve.length ?? 1),
  );

  const accrue = (): void => {
    monthly.fill(0);
    for (let k = 0; k < buffer.count; k++) horizon.spread(buffer.interest[k] as number, buffer.accrualStart[k] as number, buffer.day[k] as number, monthly);
  };
  const monthlyAll = new Float64Array(S * H);
  const addMonthlyAt = (targets: Float64Array[], values: Float64Array, at: number, factor: number): void => {
    for (let d = 0; d < targets.length; d++) {
      const target = targets[d] as Float64Array;
      const row = (groups[d] as number) * H;
      for (let m = 0; m < H; m++) target[row + m]! += factor * (values[at + m] as number);
    }
  };
  const addMonthly = (targets: Float64Array[], values: Float64Array, factor: number): void => {
    for (let d = 0; d < targets.length; d++) {
      const target = targets[d] as Float64Array;
      const row = (groups[d] as number) * H;
      for (let m = 0; m < H; m++) target[row + m]! += factor * (values[m] as number);
    }
  };

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
      if (derive) {
        options.annualBehaviourRate = 0;
        options.projection = null;
        generator.run(options, contractual);
      }
      for (let v = 0; v < runs; v++) {
        options.annualBehaviourRate = list === null ? 0 : applyMultiplier(annual, list[v]!.multiplier);
        options.projection = null;
        if (derive) deriveBehaviour(contractual, p.notional[i] as number, options.annualBehaviourRate, generator.paymentFrequency, asOf, buffer);
        else generator.run(options, buffer);
        accrue();
        // scenario sets: 0 = all scenarios (no behaviour), then asset variants, then liability variants
        const set = list === null ? 0 : asset ? 1 + v : 1 + variants.asset.length + v;
        const interest = setInterest[set] as Float64Array[];
        if (!constant) {
          addMonthly(interest, monthly, sign);
          continue;
        }
        volume.fill(0);
        renewals.fixedVolume(buffer, p.dayCount[i] as number, volume, null);
        // renewal = volume·(zero_s + margin): the margin part joins the scenario-independent accrual,
        // the zero part is summed by term and priced per scenario at the end (FixedRenewalBook)
        if (rampScenarios.length === 0) {
          const signedMargin = sign * margin;
          for (let d = 0; d < interest.length; d++) {
            const target = interest[d] as Float64Array;
            const row = (groups[d] as number) * H;
            for (let m = 0; m < H; m++) target[row + m]! += sign * (monthly[m] as number) + signedMargin * (volume[m] as number);
          }
        } else {
          addMonthly(interest, monthly, sign);
          addMonthly(setMargin[set] as Float64Array[], volume, sign * margin);
          const scenarioList = sets[set] as number[];
          const baseZero = rates.zero(0, ccy, term);
          for (const s of scenarioList) {
            const m = markets[s] as ScenarioMarket;
            if (m.scenario.rampMonths <= 0) continue;
            const shocked = rates.zero(s, ccy, term);
            monthly.fill(0);
            renewals.fixedVolume(buffer, p.dayCount[i] as number, monthly, (day) => renewals.rampedRate(m.scenario, day, baseZero, shocked) + margin);
            addMonthly(perScenario[s] as Float64Array[], monthly, sign);
          }
        }
        book.add(set, ccy, term, groups, volume, sign);
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
      monthlyAll.fill(0);
      for (let s = 0; s < S; s++) {
        const flows = scenarioBuffers[s] as FlowBuffer;
        for (let k = 0; k < flows.count; k++) horizon.spread(flows.interest[k] as number, flows.accrualStart[k] as number, flows.day[k] as number, monthlyAll, s * H);
      }
      if (constant) renewals.floatingInterestScenarios(scenarioBuffers, p, i, projections, monthlyAll);
      for (let s = 0; s < S; s++) addMonthlyAt(perScenario[s] as Float64Array[], monthlyAll, s * H, sign);
      continue;
    }

    for (let s = 0; s < S; s++) {
      const m = markets[s] as ScenarioMarket;
      const projection = floating ? ((input.projectionMarkets[s] as ScenarioMarket).projection[p.index.codes[i] as number] ?? null) : null;
      options.projection = projection;
      options.annualBehaviourRate = behaves ? applyMultiplier(annual, asset ? m.cprMultiplier : m.tdrrMultiplier) : 0;
      generator.run(options, buffer);
      accrue();
      if (constant && projection !== null) renewals.floatingInterest(buffer, p, i, projection, monthly);
      addMonthly(perScenario[s] as Float64Array[], monthly, sign);
    }
  }

  const addInto = (source: Float64Array[], s: number): void =>
    source.forEach((values, d) => {
      const target = perScenario[s]![d] as Float64Array;
      for (let k = 0; k < values.length; k++) target[k]! += values[k] as number;
    });
  sets.forEach((scenarios, set) => {
    for (const s of scenarios) {
      if (set > 0) addInto(setInterest[set] as Float64Array[], s);
      if (setMargin.length > 0 && (markets[s] as ScenarioMarket).scenario.rampMonths <= 0) addInto(setMargin[set] as Float64Array[], s);
    }
  });
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
