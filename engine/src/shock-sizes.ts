/** Shock sizes of methodology §4 in decimals (200bp → 0.02). */
export interface ShockSizes {
  parallel: number;
  short: number;
  long: number;
}

/**
 * R_par / R_short / R_long in bp, EU 2024/856 Annex Part A (equal to BCBS d368 for the BCBS currencies).
 * Kept in bp exactly as published so the table reads like the regulation.
 */
const SHOCK_SIZES_BP: Readonly<Record<string, readonly [number, number, number]>> = {
  ARS: [400, 500, 300],
  AUD: [300, 450, 200],
  BGN: [250, 350, 150],
  BRL: [400, 500, 300],
  CAD: [200, 300, 150],
  CHF: [100, 150, 100],
  CNY: [250, 300, 150],
  CZK: [200, 250, 100],
  DKK: [200, 250, 150],
  EUR: [200, 250, 100],
  GBP: [250, 300, 150],
  HKD: [200, 250, 100],
  HUF: [300, 450, 200],
  IDR: [400, 500, 350],
  INR: [400, 500, 300],
  JPY: [100, 100, 100],
  KRW: [300, 400, 200],
  MXN: [400, 500, 300],
  PLN: [250, 350, 150],
  RON: [350, 500, 250],
  RUB: [400, 500, 300],
  SAR: [200, 300, 150],
  SEK: [200, 300, 150],
  SGD: [150, 200, 100],
  TRY: [400, 500, 300],
  USD: [200, 300, 150],
  ZAR: [400, 500, 300],
};

/** Currencies with a regulatory shock size, alphabetical. */
export const SHOCK_CURRENCIES: readonly string[] = Object.keys(SHOCK_SIZES_BP);

/** undefined for a currency outside the table (the caller must report it, not guess). */
export function shockSizes(currency: string): ShockSizes | undefined {
  const bp = Object.hasOwn(SHOCK_SIZES_BP, currency) ? SHOCK_SIZES_BP[currency] : undefined;
  if (!bp) return undefined;
  return { parallel: bp[0] / 10_000, short: bp[1] / 10_000, long: bp[2] / 10_000 };
}
