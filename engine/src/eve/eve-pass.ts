import { applyMultiplier } from '../behaviour.ts';
import type { Dimension } from '../breakdown.ts';
import { BUCKET_COUNT, BUCKET_MIDPOINTS, bucketsByDay } from '../buckets.ts';
import { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { deriveBehaviour } from '../cashflows/derive-behaviour.ts';
import { FLOATING, FlowGenerator, NON_MATURING, flowOptions } from '../cashflows/generate.ts';
import { NMD_SLOTS, nmdFlows, nmdSlot, type NmdPlan } from '../cashflows/nmd-flows.ts';
import type { ScenarioMarket } from '../cashflows/scenario-market.ts';
import type { ScheduleIndex } from '../cashflows/schedule-index.ts';
import type { ScheduleCache } from '../cashflows/schedule-cache.ts';
import { behaviourVariants } from '../cashflows/variants.ts';
import { addDerived, addDerived3, addFloatingScenarios, forwardTable } from './kernels.ts';
import { MasterSums } from './master-sums.ts';
import type { NiiAccumulator } from '../nii/nii-accumulator.ts';
import type { PositionColumns } from '../positions.ts';

export interface EvePassInput {
  positions: PositionColumns;
  schedules: ScheduleIndex | undefined;
  asOf: number;
  method: 'full' | 'standardised';
  /** scenario 0 is base */
  markets: ScenarioMarket[];
  /** dims[0] is the base dimension (currency, side, product) */
  dims: Dimension[];
  nmd: NmdPlan;
  /** day offsets covered by the market grids */
  span: number;
  /** shared between passes of one run (optional) */
  scheduleCache?: ScheduleCache;
  /** positions [from, to) only (default all): results of disjoint ranges add up (partitioned runs) */
  from?: number;
  to?: number;
  /**
   * Standardised method: the day aggregates of a full-method pass over the same positions, range,
   * dimensions and markets (EveValues.dayFlows). Fixed-rate flows are the same in both methods, so
   * they are re-slotted into buckets instead of regenerated; only floating contracts are projected.
   */
  reuse?: EveDayFlows;
  /**
   * Full method: NII of the same positions accumulated in the same pass from the flows projected
   * here (same range; the accumulator's markets must be these markets) — one projection of each
   * contract instead of two. Read its values with nii.finish() afterwards.
   */
  nii?: NiiAccumulator;
  onProgress?: (fraction: number) => void;
}

/** Undiscounted day aggregates of the fixed-rate contracts of a full-method pass (see EvePassInput.reuse). */
export interface EveDayFlows {
  positions: PositionColumns;
  dims: Dimension[];
  markets: ScenarioMarket[];
  span: number;
  from: number;
  to: number;
  /** [d][g·span + day]: fixed-rate flows without behaviour */
  fixed: Float64Array[];
  /** [variant][d][g·span + day]: behavioural fixed-rate flows per asset / liability multiplier */
  asset: Float64Array[][];
  liability: Float64Array[][];
}

export interface EveValues {
  /** byGroup[d][s][g]: EVE of group g of dimension d in scenario s */
  byGroup: Float64Array[][];
  /** byBucket[s][ccy·19 + k]: EVE of the flows (full) or net flows (standardised) in bucket k */
  byBucket: Float64Array[];
  /** full method only: the fixed-rate day aggregates, for a standardised pass to reuse */
  dayFlows?: EveDayFlows;
}

/**
 * EVE = Σ sign·CF·DF (methodology §6). Flows are summed by (group, slot) BEFORE discounting —
 * slot = day offset (full) or bucket (standardised) — so each scenario only re-discounts the
 * aggregates. Flows that depend on the scenario (floating coupons in the full method, behavioural
 * flows, NMD) are kept per scenario; all others once.
 */
export function evePass(input: EvePassInput): EveValues {
  const { positions: p, asOf, markets, dims, nmd, span } = input;
  const standardised = input.method === 'standardised';
  const scenarios = markets.length;
  const slotByDay = standardised ? bucketsByDay(span) : undefined;
  const slots = standardised ? BUCKET_COUNT : span;
  const fixed = dims.map((d) => new Float64Array(d.count * slots));
  const perScenario = markets.map(() => dims.map((d) => new Float64Array(d.count * slots)));
  const nmdBalance = dims.map((d) => new Float64Array(d.count * NMD_SLOTS));
  const variants = behaviourVariants(markets);
  // behavioural flows are summed per variant (×0.8 / ×1 / ×1.2), not per scenario
  const assetVariant = variants.asset.map(() => dims.map((d) => new Float64Array(d.count * slots)));
  const liabilityVariant = variants.liability.map(() => dims.map((d) => new Float64Array(d.count * slots)));
  const generator = new FlowGenerator(p, input.schedules, asOf, asOf + span - 1, input.scheduleCache);
  const single = dims.length === 1;
  const groupCount = (dims[0] as Dimension).count;
  // one dimension (no attribute breakdown), full method: flows summed by (schedule master, group,
  // payment k) first (master-sums.ts), folded into the day sums after the loop; lanes interleaved:
  // fixed (1), behaviour variants (V), floating scenarios (S)
  const byMaster = single && !standardised;
  const cache = generator.scheduleCache;
  const fixedSums = new MasterSums(cache, groupCount, 1);
  const assetSums = new MasterSums(cache, groupCount, variants.asset.length);
  const liabilitySums = new MasterSums(cache, groupCount, variants.liability.length);
  const floatingSums = new MasterSums(cache, groupCount, scenarios);
  // standardised, one dimension: addDerived's bucket sums, variants interleaved [slot·V + v]
  const interleavedAsset = single && standardised ? new Float64Array(groupCount * slots * variants.asset.length) : new Float64Array(0);
  const interleavedLiability = single && standardised ? new Float64Array(groupCount * slots * variants.liability.length) : new Float64Array(0);
  const buffer = new FlowBuffer();
  const derived = new FlowBuffer();
  const scenarioBuffers = markets.map(() => new FlowBuffer());
  const projections: Float64Array[] = markets.map(() => new Float64Array(0));
  const behaviourRates = new Float64Array(scenarios);
  const options = flowOptions(asOf, standardised, Number.POSITIVE_INFINITY);
  const groups = new Int32Array(dims.length);
  // forwards per (index code, reset list) in every scenario, built on first use (kernels.ts)
  const forwardsByIndex: Map<Int32Array, Float64Array>[] = [];

  const add = (targets: Float64Array[], sign: number, flows: FlowBuffer = buffer): void => {
    const count = flows.count;
    const days = flows.day;
    const interest = flows.interest;
    const principal = flows.principal;
    if (targets.length === 1 && slotByDay === undefined) {
      // the common case (no attribute breakdown, full method): one aggregate row, slot = day offset
      addByDay(targets[0] as Float64Array, (groups[0] as number) * slots - asOf, sign, flows);
      return;
    }
    for (let k = 0; k < count; k++) {
      const offset = (days[k] as number) - asOf;
      const slot = slotByDay === undefined ? offset : (slotByDay[offset] as number);
      const amount = sign * ((interest[k] as number) + (principal[k] as number));
      for (let d = 0; d < targets.length; d++) (targets[d] as Float64Array)[(groups[d] as number) * slots + slot]! += amount;
    }
  };

  const from = input.from ?? 0;
  const to = input.to ?? p.length;
  const reuse = standardised && reusable(input.reuse, input, from, to) ? input.reuse : undefined;
  const nii = input.nii;
  if (nii !== undefined && standardised) throw new RangeError('NII can share only a full-method EVE pass (standardised flows stop at the next reset)');
  // floating flows of this pass serve NII too unless its fixings ramp (they then differ)
  const capture = nii !== undefined && nii.projectsLikeMarkets ? nii.scenarioBuffers : null;
  const captureUntil = nii === undefined ? Number.POSITIVE_INFINITY : nii.horizon.endDay;
  for (let i = from; i < to; i++) {
    if ((i & 0xffff) === 0 && input.onProgress) input.onProgress((i - from) / Math.max(1, to - from));
    // the fixed-rate flows come bucketed from the full pass (below)
    if (reuse !== undefined && p.rateType[i] !== FLOATING && p.amortization[i] !== NON_MATURING) continue;
    for (let d = 0; d < dims.length; d++) groups[d] = (dims[d] as Dimension).group[i] as number;
    const sign = p.side[i] as number;
    if (p.amortization[i] === NON_MATURING) {
      if (nii !== undefined) nii.nmd(i);
      const slot = nmdSlot(p.nmdCategory[i] as number);
      for (let d = 0; d < dims.length; d++) nmdBalance[d]![(groups[d] as number) * NMD_SLOTS + slot]! += sign * (p.notional[i] as number);
      continue;
    }
    if (!generator.prepare(i)) continue;
    const asset = sign > 0;
    const annual = asset ? (p.cpr[i] as number) : (p.tdrr[i] as number);
    const behaves = annual > 0;
    if (!standardised && p.rateType[i] === FLOATING && generator.sharesCalendarAcrossScenarios) {
      const index = p.index.codes[i] as number;
      for (let s = 0; s < scenarios; s++) {
        const m = markets[s] as ScenarioMarket;
        projections[s] = m.projection[index] as Float64Array;
        behaviourRates[s] = behaves ? applyMultiplier(annual, asset ? m.cprMultiplier : m.tdrrMultiplier) : 0;
      }
      if (single) {
        const byResets = forwardsByIndex[index] ?? (forwardsByIndex[index] = new Map());
        let forwards = byResets.get(generator.resets);
        if (forwards === undefined) {
          forwards = forwardTable(generator.resets, generator.resetTaus, projections, asOf);
          byResets.set(generator.resets, forwards);
        }
        const block = floatingSums.base(generator.masterId, groups[0] as number);
        addFloatingScenarios(generator, p, i, forwards, behaviourRates, floatingSums.slab, block, sign, capture, captureUntil);
        if (nii !== undefined) nii.floating(i, generator, capture);
        continue;
      }
      generator.runScenarios(projections, behaviourRates, Number.POSITIVE_INFINITY, scenarioBuffers);
      for (let s = 0; s < scenarios; s++) add(perScenario[s] as Float64Array[], sign, scenarioBuffers[s]);
      if (nii !== undefined) nii.floating(i, generator, null);
    } else if (!standardised && p.rateType[i] === FLOATING) {
      if (nii !== undefined) nii.floating(i, generator, null);
      const index = p.index.codes[i] as number;
      for (let s = 0; s < scenarios; s++) {
        const m = markets[s] as ScenarioMarket;
        options.projection = m.projection[index] ?? null;
        options.annualBehaviourRate = behaves ? applyMultiplier(annual, asset ? m.cprMultiplier : m.tdrrMultiplier) : 0;
        generator.run(options, buffer);
        add(perScenario[s] as Float64Array[], sign);
      }
      options.projection = null;
    } else if (behaves) {
      const list = asset ? variants.asset : variants.liability;
      const targets = asset ? assetVariant : liabilityVariant;
      if (generator.derivesBehaviour) {
        options.annualBehaviourRate = 0;
        generator.run(options, buffer);
        if (nii !== undefined) nii.fixed(i, generator, buffer);
        if (single) {
          let target: Float64Array;
          let base: number;
          if (byMaster) {
            const sums = asset ? assetSums : liabilitySums;
            base = sums.base(generator.masterId, groups[0] as number);
            target = sums.slab;
          } else {
            base = (groups[0] as number) * slots;
            target = asset ? interleavedAsset : interleavedLiability;
          }
          if (byMaster && list.length === 3) {
            // the regulatory ×0.8 / ×1 / ×1.2: one walk for the three variants
            addDerived3(buffer, p.notional[i] as number, applyMultiplier(annual, list[0]!.multiplier), applyMultiplier(annual, list[1]!.multiplier), applyMultiplier(annual, list[2]!.multiplier), generator.paymentFrequency, asOf, target, base, sign);
            continue;
          }
          for (let v = 0; v < list.length; v++) {
            addDerived(buffer, p.notional[i] as number, applyMultiplier(annual, list[v]!.multiplier), generator.paymentFrequency, asOf, target, base, sign, slotByDay ?? null, list.length, v);
          }
          continue;
        }
        for (let v = 0; v < list.length; v++) {
          deriveBehaviour(buffer, p.notional[i] as number, applyMultiplier(annual, list[v]!.multiplier), generator.paymentFrequency, asOf, derived);
          add(targets[v] as Float64Array[], sign, derived);
        }
        continue;
      }
      for (let v = 0; v < list.length; v++) {
        options.annualBehaviourRate = applyMultiplier(annual, list[v]!.multiplier);
        generator.run(options, buffer);
        add(targets[v] as Float64Array[], sign);
      }
      if (nii !== undefined) nii.fixed(i, generator, null);
    } else {
      options.annualBehaviourRate = 0;
      generator.run(options, buffer);
      if (nii !== undefined) nii.fixed(i, generator, buffer);
      if (byMaster && generator.flowsOnDates) {
        const block = fixedSums.base(generator.masterId, groups[0] as number); // may grow the slab: read it after
        addByIndex(fixedSums.slab, block, sign, buffer);
      } else add(fixed, sign);
    }
  }

  if (byMaster) {
    floatingSums.foldInto(perScenario.map((sums) => sums[0] as Float64Array), slots, asOf);
    assetSums.foldInto(assetVariant.map((sums) => sums[0] as Float64Array), slots, asOf);
    liabilitySums.foldInto(liabilityVariant.map((sums) => sums[0] as Float64Array), slots, asOf);
    fixedSums.foldInto([fixed[0] as Float64Array], slots, asOf);
  } else if (single) {
    deinterleave(interleavedAsset, assetVariant);
    deinterleave(interleavedLiability, liabilityVariant);
  }
  // non-maturing deposits, per scenario (the core share may depend on it)
  for (let s = 0; s < scenarios; s++) {
    const id = (markets[s] as ScenarioMarket).scenario.id;
    dims.forEach((dim, d) => {
      const target = perScenario[s]![d] as Float64Array;
      const balances = nmdBalance[d] as Float64Array;
      for (let g = 0; g < dim.count; g++) {
        for (let c = 0; c < NMD_SLOTS; c++) {
          const balance = balances[g * NMD_SLOTS + c] as number;
          if (balance === 0) continue;
          nmdFlows(nmd, c, balance, id, (offset, amount) => {
            const slot = slotByDay === undefined ? offset : (slotByDay[offset] as number);
            target[g * slots + slot]! += amount;
          });
        }
      }
    });
  }
  if (reuse !== undefined) {
    const buckets = bucketsByDay(reuse.span);
    dims.forEach((dim, d) => {
      rebucket(reuse.fixed[d] as Float64Array, fixed[d] as Float64Array, dim.count, reuse.span, buckets);
      reuse.asset.forEach((sums, v) => rebucket(sums[d] as Float64Array, assetVariant[v]![d] as Float64Array, dim.count, reuse.span, buckets));
      reuse.liability.forEach((sums, v) => rebucket(sums[d] as Float64Array, liabilityVariant[v]![d] as Float64Array, dim.count, reuse.span, buckets));
    });
  }
  // kept before the variants are folded into the scenarios (fold only writes perScenario)
  const dayFlows: EveDayFlows | undefined = standardised
    ? undefined
    : { positions: p, dims, markets, span, from, to, fixed, asset: assetVariant, liability: liabilityVariant };
  // scenario s discounts fixed + its own flows + its asset and liability behaviour variants' sums
  const variantOf = (list: { scenarios: number[] }[], sums: Float64Array[][]): Float64Array[][] => {
    const of: Float64Array[][] = markets.map(() => dims.map(() => EMPTY));
    list.forEach((v, k) => v.scenarios.forEach((sc) => (of[sc] = sums[k] as Float64Array[])));
    return of;
  };
  const values = discount(input, fixed, perScenario, variantOf(variants.asset, assetVariant), variantOf(variants.liability, liabilityVariant), slots);
  if (dayFlows !== undefined) values.dayFlows = dayFlows;
  return values;
}

function reusable(flows: EveDayFlows | undefined, input: EvePassInput, from: number, to: number): boolean {
  if (flows === undefined) return false;
  const sameMarkets = flows.markets.length === input.markets.length && flows.markets.every((m, s) => m === input.markets[s]);
  const sameDims = flows.dims.length === input.dims.length && flows.dims.every((d, k) => d === input.dims[k]);
  return flows.positions === input.positions && sameMarkets && sameDims && flows.span === input.span && flows.from === from && flows.to === to;
}

/** target[g·19 + bucket(day)] += source[g·span + day]: day aggregates → standardised buckets. */
function rebucket(source: Float64Array, target: Float64Array, groups: number, span: number, buckets: Uint8Array): void {
  for (let g = 0; g < groups; g++) {
    const row = g * span;
    const out = g * BUCKET_COUNT;
    for (let k = 0; k < span; k++) {
      const cf = source[row + k] as number;
      if (cf !== 0) target[out + (buckets[k] as number)]! += cf;
    }
  }
}

const EMPTY = new Float64Array(0);

/** Σ (fixed + perScenario[s] + asset[s] + liability[s])·DF_s by group (EMPTY sums count as zero). */
function discount(
  input: EvePassInput,
  fixed: Float64Array[],
  perScenario: Float64Array[][],
  asset: Float64Array[][],
  liability: Float64Array[][],
  slots: number,
): EveValues {
  const { markets, dims } = input;
  const standardised = input.method === 'standardised';
  const currencies = input.positions.currency.values.length;
  const bucketOfDay = standardised ? undefined : bucketsByDay(slots);
  const byGroup = dims.map(() => markets.map((): Float64Array => new Float64Array(0)));
  const byBucket = markets.map(() => new Float64Array(currencies * BUCKET_COUNT));
  markets.forEach((m, s) => {
    // §6 standardised: each bucket's net flow discounted at exp(−R(t_k)·t_k), R the floored scenario zero rate
    const factors = m.discountCurve.map((curve, c) =>
      standardised ? Float64Array.from(BUCKET_MIDPOINTS, (t) => (curve ? Math.exp(-curve.zero(t) * t) : Number.NaN)) : (m.discount[c] as Float64Array),
    );
    dims.forEach((dim, d) => {
      const values = new Float64Array(dim.count);
      const a = fixed[d] as Float64Array;
      const b = perScenario[s]![d] as Float64Array;
      const c = asset[s]![d] as Float64Array;
      const e = liability[s]![d] as Float64Array;
      const withAsset = c.length > 0;
      const withLiability = e.length > 0;
      for (let g = 0; g < dim.count; g++) {
        const ccy = dim.currency[g] as number;
        const df = factors[ccy] as Float64Array;
        let pv = 0;
        const row = g * slots;
        for (let k = 0; k < slots; k++) {
          let cf = (a[row + k] as number) + (b[row + k] as number);
          if (withAsset) cf += c[row + k] as number;
          if (withLiability) cf += e[row + k] as number;
          if (cf === 0) continue;
          const v = cf * (df[k] as number);
          pv += v;
          if (d === 0) byBucket[s]![ccy * BUCKET_COUNT + (bucketOfDay === undefined ? k : (bucketOfDay[k] as number))]! += v;
        }
        values[g] = pv;
      }
      byGroup[d]![s] = values;
    });
  });
  return { byGroup, byBucket };
}

/** sums[v][0][k] += interleaved[k·V + v], V = sums.length (one dimension). */
function deinterleave(interleaved: Float64Array, sums: Float64Array[][]): void {
  const lanes = sums.length;
  for (let v = 0; v < lanes; v++) {
    const target = sums[v]![0] as Float64Array;
    for (let k = 0, at = v; k < target.length; k++, at += lanes) target[k]! += interleaved[at] as number;
  }
}

/** A MasterSums block (flow k on payment date k): target[base + k] += sign·(interest + principal). */
function addByIndex(target: Float64Array, base: number, sign: number, flows: FlowBuffer): void {
  const count = flows.count;
  const interest = flows.interest;
  const principal = flows.principal;
  for (let k = 0; k < count; k++) target[base + k] = (target[base + k] as number) + sign * ((interest[k] as number) + (principal[k] as number));
}

/** Hot loop kept monomorphic and outside closures: target[row + day] += sign·(interest + principal). */
function addByDay(target: Float64Array, row: number, sign: number, flows: FlowBuffer): void {
  const count = flows.count;
  const days = flows.day;
  const interest = flows.interest;
  const principal = flows.principal;
  for (let k = 0; k < count; k++) {
    const at = row + (days[k] as number);
    target[at] = (target[at] as number) + sign * ((interest[k] as number) + (principal[k] as number));
  }
}
