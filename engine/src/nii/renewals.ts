/**
 * Accrual basis of a renewal on a constant balance sheet (methodology §7): ACT/360 for ACT/360
 * contracts, ACT/365 otherwise (README "nii-renewal-daycount"); keeps calendar arithmetic out of
 * loops run millions of times.
 */
export function renewalBasis(dayCount: number): number {
  return dayCount === 0 ? 360 : 365;
}

/** Accrual fraction of a renewal period [start, end) (see renewalBasis). */
export function renewalAccrual(dayCount: number, start: number, end: number): number {
  return (end - start) / renewalBasis(dayCount);
}
