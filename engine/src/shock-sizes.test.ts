import { describe, expect, it } from 'vitest';
import { SHOCK_CURRENCIES, shockSizes } from './shock-sizes.ts';

// Copied verbatim from methodology.md §4 and parsed here, so the table is checked against the text.
const TEXT = `ARS 400/500/300, AUD 300/450/200, BGN 250/350/150, BRL 400/500/300,
CAD 200/300/150, CHF 100/150/100, CNY 250/300/150, CZK 200/250/100, DKK 200/250/150,
EUR 200/250/100, GBP 250/300/150, HKD 200/250/100, HUF 300/450/200, IDR 400/500/350,
INR 400/500/300, JPY 100/100/100, KRW 300/400/200, MXN 400/500/300, PLN 250/350/150,
RON 350/500/250, RUB 400/500/300, SAR 200/300/150, SEK 200/300/150, SGD 150/200/100,
TRY 400/500/300, USD 200/300/150, ZAR 400/500/300.`;

describe('shockSizes', () => {
  const rows = [...TEXT.matchAll(/([A-Z]{3}) (\d+)\/(\d+)\/(\d+)/g)];

  it('holds all 27 currencies of the §4 table', () => {
    expect(rows.length).toBe(27);
    expect([...SHOCK_CURRENCIES].sort()).toEqual(rows.map((r) => r[1]).sort());
  });

  it('matches every row of the table, in decimals', () => {
    for (const [, ccy, par, short, long] of rows) {
      const s = shockSizes(ccy as string);
      expect(s, ccy).toBeDefined();
      expect(s?.parallel).toBeCloseTo(Number(par) / 10_000, 15);
      expect(s?.short).toBeCloseTo(Number(short) / 10_000, 15);
      expect(s?.long).toBeCloseTo(Number(long) / 10_000, 15);
    }
  });

  it('spot-checks currencies from the text', () => {
    expect(shockSizes('EUR')).toEqual({ parallel: 0.02, short: 0.025, long: 0.01 });
    expect(shockSizes('USD')).toEqual({ parallel: 0.02, short: 0.03, long: 0.015 });
    expect(shockSizes('JPY')).toEqual({ parallel: 0.01, short: 0.01, long: 0.01 });
    expect(shockSizes('IDR')).toEqual({ parallel: 0.04, short: 0.05, long: 0.035 });
    expect(shockSizes('RON')).toEqual({ parallel: 0.035, short: 0.05, long: 0.025 });
  });

  it('knows nothing of other currencies', () => {
    expect(shockSizes('NOK')).toBeUndefined();
    expect(shockSizes('eur')).toBeUndefined();
    expect(shockSizes('toString')).toBeUndefined();
  });
});
