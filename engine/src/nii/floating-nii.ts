import { addMonths } from '../dates.ts';
import type { FlowBuffer } from '../cashflows/flow-buffer.ts';
import type { PositionColumns } from '../positions.ts';
import type { Horizon } from './horizon.ts';
import type { MonthSums } from './month-sums.ts';
import { renewalAccrual, renewalBasis } from './renewals.ts';

/**
 * NII of a floating contract projected in every scenario by FlowGenerator.runScenarios (same
 * payment days in every buffer) into sums[s][d] (methodology §7): each flow's interest accrued day
 * by day at the rate in force — evenly over its period, or over each of its accrual pieces where a
 * reset falls inside the period (FlowBuffer) — and, on a constant balance sheet, every principal
 * repaid inside the horizon renewed at once as the same floating product, re-fixing every reset period at the
 * scenario forward + spread, bounded by floor/cap, until the horizon end. The renewal calendar is
 * walked once for all scenarios; a flow without principal in every scenario (a bullet before
 * maturity) renews nothing.
 */
interface RenewalChains {
  /** periods per start offset (unused ones: end −1) */
  periods: number;
  /** [o·periods + n]: end offset of period n of a chain starting at offset o */
  ends: Int32Array;
  /** [(o·periods + n)·S + s]: index forward of that period in scenario s */
  forwards: Float64Array;
  /** [o·S + s]: lowest and highest forward of the chain from o (is a floor or cap ever binding?) */
  lowest: Float64Array;
  highest: Float64Array;
  basis: number;
  scenarios: number;
  /**
   * Renewals whose floor and cap never bind, summed before they are spread (finish()): the chain
   * interest is linear in the amount, amount·(forward_p + spread)/basis per day of period p, so
   * per start offset: amounts[d][((g·E + o)·S + s)·2] and amount·spread at [… + 1] (a
   * repayment's scenarios side by side, a group's days together).
   */
  amounts: Float64Array[];
}

/**
 * A renewal of `amount` (signed) starting at day offset o: each period n of its chain accrues
 * amount·rate/basis per day over [from, min(to, E)), rate = the scenario's forward + spread bounded
 * by floor/cap (NaN: no bound), into row g of `target`.
 */
function spreadChain(chains: RenewalChains, s: number, o: number, E: number, amount: number, spread: number, floor: number, cap: number, target: MonthSums, g: number): void {
  const P = chains.periods;
  const S = chains.scenarios;
  let from = o;
  for (let n = 0; n < P && from < E; n++) {
    const at = o * P + n;
    const to = chains.ends[at] as number;
    let rate = (chains.forwards[at * S + s] as number) + spread;
    if (rate < floor) rate = floor;
    if (rate > cap) rate = cap;
    const perDay = (amount * rate) / chains.basis;
    if (perDay !== 0) target.add(g, perDay, from, to < E ? to : E);
    from = to;
  }
}

/**
 * The accrual pieces of flow k (from index `piece` on, see FlowBuffer) of every scenario into
 * sums[s][d], each spread evenly over its own days inside the horizon; returns the next piece.
 */
export function addPieces(
  buffers: readonly FlowBuffer[],
  k: number,
  piece: number,
  start: number,
  asOf: number,
  E: number,
  horizon: Horizon,
  sign: number,
  groups: Int32Array,
  sums: readonly (readonly MonthSums[])[],
): number {
  const first = buffers[0] as FlowBuffer;
  const S = buffers.length;
  const dims = groups.length;
  let from = start;
  for (; piece < first.pieces && first.pieceFlow[piece] === k; piece++) {
    const to = first.pieceEnd[piece] as number;
    const lo = from - asOf < 0 ? 0 : from - asOf;
    const hi = to - asOf > E ? E : to - asOf;
    if (to > from && hi > lo) {
      const firstMonth = horizon.monthOf(lo);
      const lastMonth = horizon.monthOf(hi - 1);
      for (let s = 0; s < S; s++) {
        const interest = (buffers[s] as FlowBuffer).pieceInterest[piece] as number;
        if (interest === 0) continue;
        const perDay = (sign * interest) / (to - from);
        const target = sums[s] as readonly MonthSums[];
        for (let d = 0; d < dims; d++) (target[d] as MonthSums).addSpan(groups[d] as number, perDay, lo, hi, firstMonth, lastMonth);
      }
    }
    from = to;
  }
  return piece;
}

export class FloatingNii {
  /** renewal chains by projection grids (first scenario's), then (reset months, basis, scenarios): see chains() */
  private readonly tables = new Map<Float64Array, Map<number, RenewalChains>>();
  private readonly all: RenewalChains[] = [];

  constructor(
    private readonly horizon: Horizon,
    /** groups per breakdown dimension */
    private readonly groupCounts: readonly number[],
    /** [s][d]: the accumulator's per-scenario sums; renewals added with these sums are aggregated until finish() */
    private readonly scenarioSums: readonly (readonly MonthSums[])[],
  ) {}

  /**
   * The renewal chain of a repayment on each day offset o of the horizon: periods rolled every
   * `months` months from asOf + o until the horizon end, their ends (offsets, ≤ 2^31) and the index
   * forward (DF(from)/DF(to) − 1)/τ of each in every scenario — built once per (index, months,
   * basis) so a renewal reads them in sequence instead of rolling dates and reading two grids.
   */
  private chains(months: number, dayCount: number, projections: readonly Float64Array[]): RenewalChains {
    const basis = renewalBasis(dayCount);
    const key = ((months * 64 + projections.length) * 2 + (basis === 360 ? 0 : 1));
    const grid = projections[0] as Float64Array;
    let byKey = this.tables.get(grid);
    if (byKey === undefined) this.tables.set(grid, (byKey = new Map()));
    let table = byKey.get(key);
    if (table === undefined) {
      const horizon = this.horizon;
      const asOf = horizon.asOf;
      const E = horizon.endOffset;
      const S = projections.length;
      const P = Math.ceil(horizon.months / months) + 1; // periods from any start to the end
      const ends = new Int32Array(E * P).fill(-1);
      const forwards = new Float64Array(E * P * S);
      for (let o = 0; o < E; o++) {
        let from = asOf + o;
        for (let n = 1; from < asOf + E; n++) {
          const to = addMonths(asOf + o, n * months, false);
          const period = renewalAccrual(dayCount, from, to);
          ends[o * P + n - 1] = to - asOf;
          for (let s = 0; s < S; s++) {
            const projection = projections[s] as Float64Array;
            forwards[(o * P + n - 1) * S + s] = ((projection[from - asOf] as number) / (projection[to - asOf] as number) - 1) / period;
          }
          from = to;
        }
      }
      const lowest = new Float64Array(E * S).fill(Number.POSITIVE_INFINITY);
      const highest = new Float64Array(E * S).fill(Number.NEGATIVE_INFINITY);
      for (let o = 0; o < E; o++) {
        for (let n = 0; n < P && (ends[o * P + n] as number) >= 0; n++) {
          for (let s = 0; s < S; s++) {
            const f = forwards[(o * P + n) * S + s] as number;
            if (f < (lowest[o * S + s] as number)) lowest[o * S + s] = f;
            if (f > (highest[o * S + s] as number)) highest[o * S + s] = f;
          }
        }
      }
      const amounts = this.groupCounts.map((g) => new Float64Array(2 * S * g * E));
      table = { periods: P, ends, forwards, lowest, highest, basis, scenarios: S, amounts };
      byKey.set(key, table);
      this.all.push(table);
    }
    return table;
  }

  add(
    buffers: readonly FlowBuffer[],
    p: PositionColumns,
    i: number,
    /** projection grids by day offset, per scenario */
    projections: readonly Float64Array[],
    constant: boolean,
    sign: number,
    groups: Int32Array,
    sums: readonly (readonly MonthSums[])[],
  ): void {
    const first = buffers[0];
    if (first === undefined) return;
    const horizon = this.horizon;
    const asOf = horizon.asOf;
    const end = horizon.endDay;
    const E = horizon.endOffset;
    const S = buffers.length;
    const dims = groups.length;
    const dayCount = p.dayCount[i] as number;
    const months = (p.resetFrequencyMonths[i] as number) || (p.paymentFrequencyMonths[i] as number) || 1;
    const given = p.spread[i] as number;
    const spread = given === given ? given : 0; // NaN spread = none
    const floor = p.floor[i] as number;
    const cap = p.cap[i] as number;
    const chains = constant ? this.chains(months, dayCount, projections) : undefined;
    // the accumulator's own sums, all scenarios: renewals may wait in the chain table until finish()
    const aggregate = sums === this.scenarioSums && S === this.scenarioSums.length;
    let piece = 0; // next accrual piece: every scenario's buffer has the same pieces (one calendar)
    for (let k = 0; k < first.count; k++) {
      const day = first.day[k] as number;
      const start = first.accrualStart[k] as number;
      // the flow's interest accrues over [start, day) in every scenario: clip and find its months once
      const lo = start - asOf < 0 ? 0 : start - asOf;
      const hi = day - asOf > E ? E : day - asOf;
      if (piece < first.pieces && first.pieceFlow[piece] === k) {
        // a reset (or a scheduled repayment) inside the period: each piece accrues at its own rate
        piece = addPieces(buffers, k, piece, start, asOf, E, horizon, sign, groups, sums);
      } else if (day > start && hi > lo) {
        const firstMonth = horizon.monthOf(lo);
        const lastMonth = horizon.monthOf(hi - 1);
        for (let s = 0; s < S; s++) {
          const interest = (buffers[s] as FlowBuffer).interest[k] as number;
          if (interest === 0) continue;
          const perDay = (sign * interest) / (day - start);
          const target = sums[s] as readonly MonthSums[];
          for (let d = 0; d < dims; d++) (target[d] as MonthSums).addSpan(groups[d] as number, perDay, lo, hi, firstMonth, lastMonth);
        }
      }
      if (chains === undefined || day >= end) continue;
      let repaid = false;
      for (let s = 0; s < S && !repaid; s++) repaid = ((buffers[s] as FlowBuffer).principal[k] as number) !== 0;
      if (!repaid) continue;
      const o = day - asOf; // ≥ 1: flows fall after as_of
      for (let s = 0; s < S; s++) {
        const amount = (buffers[s] as FlowBuffer).principal[k] as number;
        if (amount === 0) continue;
        // NaN bounds compare false: no bound
        if (aggregate && !((chains.lowest[o * S + s] as number) + spread < floor) && !((chains.highest[o * S + s] as number) + spread > cap)) {
          for (let d = 0; d < dims; d++) {
            const at = (((groups[d] as number) * E + o) * S + s) * 2;
            const amounts = chains.amounts[d] as Float64Array;
            amounts[at] = (amounts[at] as number) + sign * amount;
            amounts[at + 1] = (amounts[at + 1] as number) + sign * amount * spread;
          }
          continue;
        }
        const target = sums[s] as readonly MonthSums[];
        for (let d = 0; d < dims; d++) spreadChain(chains, s, o, E, sign * amount, spread, floor, cap, target[d] as MonthSums, groups[d] as number);
      }
    }
  }

  /** Spreads the aggregated renewals (see RenewalChains.amounts) into the accumulator's scenario sums. */
  finish(): void {
    const E = this.horizon.endOffset;
    for (const chains of this.all) {
      const S = chains.scenarios;
      this.groupCounts.forEach((G, d) => {
        const amounts = chains.amounts[d] as Float64Array;
        for (let s = 0; s < S; s++) {
          const target = this.scenarioSums[s]![d] as MonthSums;
          for (let g = 0; g < G; g++) {
            for (let o = 0; o < E; o++) {
              const at = ((g * E + o) * S + s) * 2;
              const amount = amounts[at] as number;
              if (amount === 0) continue;
              target.addToEnd(g, (amounts[at + 1] as number) / chains.basis, o);
              // the spread part is the line above: forwards alone, no bound can bind
              spreadChain(chains, s, o, E, amount, 0, Number.NaN, Number.NaN, target, g);
            }
          }
        }
      });
    }
  }
}
