/** Editing a drawn shock: points by tenor, kept sorted, one per tenor (what the preview route accepts). */
import type { ShockPoint } from '@almready/contracts';

/** Where a new scenario starts: the tenors a quant usually shapes a curve at. */
export const STANDARD_TENORS = [0.25, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30] as const;

export const flatPoints = (bp = 0): ShockPoint[] => STANDARD_TENORS.map((tenorYears) => ({ tenorYears, bp }));

const sorted = (points: ShockPoint[]) => [...points].sort((a, b) => a.tenorYears - b.tenorYears);

export function setBp(points: readonly ShockPoint[], index: number, bp: number): ShockPoint[] {
  return points.map((p, i) => (i === index ? { ...p, bp } : p));
}

/** A tenor already present is refused (the caller says so); otherwise the point joins in order. */
export function addPoint(points: readonly ShockPoint[], point: ShockPoint): ShockPoint[] | null {
  if (points.some((p) => p.tenorYears === point.tenorYears)) return null;
  return sorted([...points, point]);
}

export function removePoint(points: readonly ShockPoint[], index: number): ShockPoint[] {
  return points.filter((_, i) => i !== index);
}

/** The preview route takes shifts within ±5000 bp (contracts shockPointSchema); a drag or a typo stops there. */
export const MAX_ABS_BP = 5000;
export const clampBp = (bp: number): number => Math.max(-MAX_ABS_BP, Math.min(MAX_ABS_BP, bp));

/** A drag in the chart: the point moves to where the pointer is, in whole bp. */
export function bpAtRate(rate: number, baseRate: number): number {
  return Math.round((rate - baseRate) * 10_000) || 0; // never −0
}

/** The shift a built-in scenario makes at each point's tenor, from a preview (shocked − base), in bp. */
export function pointsFromPreview(points: readonly ShockPoint[], preview: readonly { tenorYears: number; base: number; shocked: number }[]): ShockPoint[] {
  return points.map((p) => {
    const at = preview.find((q) => q.tenorYears === p.tenorYears);
    return at ? { ...p, bp: Math.round((at.shocked - at.base) * 10_000 * 10) / 10 } : p;
  });
}

/** A tenor in years as a quant writes it: 1D, 7D, 3M, 18M, 5Y. */
export function tenorLabel(years: number): string {
  const days = Math.round(years * 365);
  if (days < 28) return `${days}D`;
  const months = years * 12;
  if (years < 2 && Math.abs(months - Math.round(months)) < 1e-9 && years !== 1) return `${Math.round(months)}M`;
  return `${Number(years.toFixed(4))}Y`;
}
