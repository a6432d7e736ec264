/**
 * The 19 time buckets of the standardised approach (methodology §6, BCBS d368 / EU 2024/857).
 * Upper bounds are inclusive; midpoints are used exactly as these decimals.
 */
export const BUCKET_LABELS = [
  'O/N', 'O/N-1M', '1M-3M', '3M-6M', '6M-9M', '9M-1Y', '1Y-1.5Y', '1.5Y-2Y', '2Y-3Y', '3Y-4Y',
  '4Y-5Y', '5Y-6Y', '6Y-7Y', '7Y-8Y', '8Y-9Y', '9Y-10Y', '10Y-15Y', '15Y-20Y', '>20Y',
] as const;

export const BUCKET_MIDPOINTS = Float64Array.from([
  0.0028, 0.0417, 0.1667, 0.375, 0.625, 0.875, 1.25, 1.75, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 12.5, 17.5, 25,
]);

/** Upper bound in years of each bucket (inclusive); the last is open. O/N = one day. */
export const BUCKET_UPPER_YEARS = Float64Array.from([
  1 / 365, 1 / 12, 3 / 12, 6 / 12, 9 / 12, 1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, Number.POSITIVE_INFINITY,
]);

export const BUCKET_COUNT = 19;

/** Lower bound in years (exclusive) of bucket k. */
export function bucketFromYears(k: number): number {
  return k === 0 ? 0 : (BUCKET_UPPER_YEARS[k - 1] as number);
}

/** Bucket of a time t in years (t ≤ 1 day → O/N, upper bounds inclusive). */
export function bucketOf(t: number): number {
  let k = 0;
  // A small tolerance keeps t = 1Y computed as 365/365 inside its own bucket despite rounding.
  while (k < BUCKET_COUNT - 1 && t > (BUCKET_UPPER_YEARS[k] as number) + 1e-12) k++;
  return k;
}

/** Bucket per day offset from the analysis date (t = days/365), for hot loops. */
export function bucketsByDay(days: number): Uint8Array {
  const out = new Uint8Array(days);
  for (let d = 0; d < days; d++) out[d] = bucketOf(d / 365);
  return out;
}
