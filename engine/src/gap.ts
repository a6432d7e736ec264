import { BUCKET_COUNT, BUCKET_LABELS, BUCKET_UPPER_YEARS, bucketFromYears, bucketOf } from './buckets.ts';
import { behaviourRate, flowSpanDays } from './cashflows/behaviour-rate.ts';
import { FlowBuffer } from './cashflows/flow-buffer.ts';
import { FlowGenerator, NON_MATURING, flowOptions } from './cashflows/generate.ts';
import { nmdFlows, nmdSlot, type NmdPlan } from './cashflows/nmd-flows.ts';
import type { ScheduleIndex } from './cashflows/schedule-index.ts';
import type { ScheduleCache } from './cashflows/schedule-cache.ts';
import type { PositionColumns } from './positions.ts';

export interface GapRow {
  bucket: string;
  from_years: number;
  /** null for the open last bucket */
  to_years: number | null;
  assets: number;
  liabilities: number;
  gap: number;
  cumulative_gap: number;
}

/** One currency's gap row: amounts of that currency's positions only (no FX conversion). */
export interface CurrencyGapRow extends GapRow {
  currency: string;
}

/**
 * Repricing gap (methodology §8): principal at maturity (or as it amortises, prepayment included)
 * and, for floating contracts, the whole balance at the next reset, by the 19 buckets and side.
 * Non-maturing deposits follow the base-scenario NMD split. Amounts are positive on both sides;
 * gap = assets − liabilities.
 */
export function repricingGap(p: PositionColumns, schedules: ScheduleIndex | undefined, asOf: number, nmd: NmdPlan, cache?: ScheduleCache): GapRow[] {
  return gapRows(gapSums(p, schedules, asOf, nmd, cache, 0, p.length));
}

/**
 * Unsigned principal of positions [from, to) by currency, side and bucket: slot
 * ((currency code + 1)·2 + side)·19 + bucket, side 0 = assets, 1 = liabilities (code −1, no
 * currency, is slot 0). Ranges add up.
 */
export function gapSums(p: PositionColumns, schedules: ScheduleIndex | undefined, asOf: number, nmd: NmdPlan, cache: ScheduleCache | undefined, from: number, to: number): Float64Array {
  const sums = new Float64Array((p.currency.values.length + 1) * 2 * BUCKET_COUNT);
  const generator = new FlowGenerator(p, schedules, asOf, asOf + flowSpanDays(p, asOf, nmd.maxMonths, 0) - 1, cache);
  const buffer = new FlowBuffer();
  const options = flowOptions(asOf, true, Number.POSITIVE_INFINITY);
  const base = { cprMultiplier: 1, tdrrMultiplier: 1 };
  for (let i = from; i < to; i++) {
    const slot = (((p.currency.codes[i] as number) + 1) * 2 + ((p.side[i] as number) > 0 ? 0 : 1)) * BUCKET_COUNT;
    if (p.amortization[i] === NON_MATURING) {
      nmdFlows(nmd, nmdSlot(p.nmdCategory[i] as number), p.notional[i] as number, 'base', (offset, amount) => {
        sums[slot + bucketOf(offset / 365)]! += amount;
      });
      continue;
    }
    options.annualBehaviourRate = behaviourRate(p, i, base);
    generator.generate(i, options, buffer);
    for (let k = 0; k < buffer.count; k++) {
      sums[slot + bucketOf(((buffer.day[k] as number) - asOf) / 365)]! += buffer.principal[k] as number;
    }
  }
  return sums;
}

/** Gap rows of all currencies together from gapSums (of one range or several added up). */
export function gapRows(sums: Float64Array): GapRow[] {
  const assets = new Float64Array(BUCKET_COUNT);
  const liabilities = new Float64Array(BUCKET_COUNT);
  for (let slot = 0; slot < sums.length; slot += 2 * BUCKET_COUNT) {
    for (let k = 0; k < BUCKET_COUNT; k++) {
      assets[k]! += sums[slot + k] as number;
      liabilities[k]! += sums[slot + BUCKET_COUNT + k] as number;
    }
  }
  return rowsOf(assets, liabilities);
}

/** 19 gap rows per currency of the positions' dictionary (methodology §8 per currency), from gapSums. */
export function gapRowsByCurrency(sums: Float64Array, currencies: readonly string[]): CurrencyGapRow[] {
  return currencies.flatMap((currency, c) => {
    const slot = (c + 1) * 2 * BUCKET_COUNT;
    return rowsOf(sums.subarray(slot, slot + BUCKET_COUNT), sums.subarray(slot + BUCKET_COUNT, slot + 2 * BUCKET_COUNT)).map((row) => ({ currency, ...row }));
  });
}

function rowsOf(assets: Float64Array, liabilities: Float64Array): GapRow[] {
  let cumulative = 0;
  return BUCKET_LABELS.map((bucket, k) => {
    const gap = (assets[k] as number) - (liabilities[k] as number);
    cumulative += gap;
    const upper = BUCKET_UPPER_YEARS[k] as number;
    return {
      bucket,
      from_years: bucketFromYears(k),
      to_years: Number.isFinite(upper) ? upper : null,
      assets: assets[k] as number,
      liabilities: liabilities[k] as number,
      gap,
      cumulative_gap: cumulative,
    };
  });
}
