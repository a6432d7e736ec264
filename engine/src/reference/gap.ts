/**
 * Repricing gap of one contract (methodology §8): principal by the 19 buckets of §6 — at maturity
 * or as it amortises (base-scenario prepayment included), a floating balance at its next reset,
 * a non-maturing balance by its base-scenario split. Amounts are unsigned.
 */
import { yearsFrom } from './calendar.ts';
import type { Flow } from './cashflows.ts';
import type { NmdPortion } from './behaviour.ts';
import { BUCKET_MIDPOINTS, bucketOf } from './eve.ts';

export function gapByBucket(asOf: number, flows: readonly Flow[]): number[] {
  const out = new Array<number>(BUCKET_MIDPOINTS.length).fill(0);
  for (const f of flows) out[bucketOf(yearsFrom(asOf, f.date))]! += f.principal;
  return out;
}

export function nmdGapByBucket(asOf: number, notional: number, portions: readonly NmdPortion[]): number[] {
  const out = new Array<number>(BUCKET_MIDPOINTS.length).fill(0);
  for (const p of portions) out[bucketOf(yearsFrom(asOf, p.date))]! += notional * p.share;
  return out;
}
