import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCurveSet } from './curve-set.ts';
import { addMonths, formatIsoDate, parseIsoDate } from './dates.ts';
import { AMORTIZATIONS, NO_DATE, type PositionColumns } from './positions.ts';
import { syntheticBalanceSheet, syntheticCurveRows } from './synthetic.ts';

const AS_OF = '2025-12-31';
const asOf = parseIsoDate(AS_OF) as number;
const sheet = syntheticBalanceSheet({ positions: 20_000, asOf: AS_OF, seed: 7 });
const p = sheet.positions;

const COLUMNS = ['side', 'notional', 'startDate', 'maturityDate', 'amortization', 'rateType', 'rate', 'spread', 'paymentFrequencyMonths', 'resetFrequencyMonths', 'nextResetDate', 'dayCount', 'floor', 'cap', 'nmdCategory', 'cpr', 'tdrr'] as const;
const DICTIONARIES = ['product', 'currency', 'index'] as const;

/** sha256 over the raw bytes of every column (NaN bit patterns included), the ids, dictionaries, schedules and curves. */
function bookDigest(book: ReturnType<typeof syntheticBalanceSheet>): string {
  const hash = createHash('sha256');
  const bytes = (name: string, x: ArrayBufferView): void => {
    hash.update(name);
    hash.update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  };
  const q: PositionColumns = book.positions;
  hash.update(JSON.stringify([q.length, q.id]));
  for (const name of COLUMNS) bytes(name, q[name]);
  const dictionaries = [...DICTIONARIES.map((name) => [name, q[name]] as const), ...Object.entries(q.attributes)];
  for (const [name, column] of dictionaries) {
    bytes(name, column.codes);
    hash.update(JSON.stringify(column.values));
  }
  bytes('schedule.positionIndex', book.schedules.positionIndex);
  bytes('schedule.date', book.schedules.date);
  bytes('schedule.principal', book.schedules.principal);
  hash.update(JSON.stringify(book.curves));
  return hash.digest('hex');
}

describe('syntheticBalanceSheet', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const again = syntheticBalanceSheet({ positions: 20_000, asOf: AS_OF, seed: 7 });
    const joined = (a: ArrayLike<number | string>): string => Array.prototype.join.call(a, ',');
    expect(joined(again.positions.notional)).toBe(joined(p.notional));
    expect(joined(again.positions.maturityDate)).toBe(joined(p.maturityDate));
    expect(joined(again.positions.rate)).toBe(joined(p.rate));
    expect(joined(again.positions.id)).toBe(joined(p.id));
    expect(joined(again.schedules.principal)).toBe(joined(sheet.schedules.principal));
    const other = syntheticBalanceSheet({ positions: 20_000, asOf: AS_OF, seed: 8 });
    expect(joined(other.positions.notional)).not.toBe(joined(p.notional));
  });

  // The golden equivalence file and the demo workspace are built from this book: any change to it,
  // even one ulp or one id, must be deliberate. Digest taken from the original row-by-row generator.
  it('pins every byte of the 5,000-position book for seed 7', () => {
    const book = syntheticBalanceSheet({ positions: 5000, asOf: AS_OF, seed: 7 });
    expect(bookDigest(book)).toBe('8aec67b34bfad20e088cf5c403c3ad418ab034bb73484f2d1f15f54c30d2a9c3');
    const q = book.positions;
    expect([q.id[0], q.notional[0], q.rate[0], q.cpr[0], formatIsoDate(q.startDate[0] as number), formatIsoDate(q.maturityDate[0] as number)]).toEqual(['P0000001', 55927.31, 0.039994, 0.0276, '2020-10-23', '2031-10-23']);
    expect([q.id[4999], q.notional[4999], q.rate[4999], q.tdrr[4999], formatIsoDate(q.maturityDate[4999] as number)]).toEqual(['P0005000', 385792.92, 0.03535, 0.0267, '2026-09-19']);
    expect([book.schedules.length, book.schedules.positionIndex[0], formatIsoDate(book.schedules.date[0] as number), book.schedules.principal[0]]).toEqual([1062, 72, '2026-03-10', 2649.19]);
  });

  // Month-end as_of dates (leap day, 31 January) exercise the day-of-month clamping of every maturity.
  it.each([
    [3000, 3, '2024-02-29', 'bf3058d1c445154e65f0639a9ba9b87252c645508b4e0e20879f0fd9ad503158'],
    [3000, 11, '2025-01-31', 'f28937c34bb2d27757ceb3d935edf199e2e657ec288e2bab61f75cd6c560ec08'],
  ] as const)('pins the %i-position book for seed %i on %s', (positions, seed, asOfText, digest) => {
    expect(bookDigest(syntheticBalanceSheet({ positions, asOf: asOfText, seed }))).toBe(digest);
  });

  it('builds the same book on SharedArrayBuffer when asked (shared: true)', () => {
    const book = syntheticBalanceSheet({ positions: 5000, asOf: AS_OF, seed: 7, shared: true });
    expect(bookDigest(book)).toBe('8aec67b34bfad20e088cf5c403c3ad418ab034bb73484f2d1f15f54c30d2a9c3');
    expect(book.positions.notional.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(book.positions.product.codes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(syntheticBalanceSheet({ positions: 10, asOf: AS_OF }).positions.notional.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('builds any row range of the book exactly as those rows of the whole book (rows option)', () => {
    const whole = syntheticBalanceSheet({ positions: 5000, asOf: AS_OF, seed: 7 });
    const cuts = [0, 999, 1000, 1777, 3001, 3001, 5000];
    let scheduleRow = 0;
    for (let c = 0; c + 1 < cuts.length; c++) {
      const [from, to] = [cuts[c] as number, cuts[c + 1] as number];
      const part = syntheticBalanceSheet({ positions: 5000, asOf: AS_OF, seed: 7, rows: { from, to } });
      const q = part.positions;
      expect(q.length).toBe(to - from);
      expect(q.id).toEqual(whole.positions.id.slice(from, to));
      for (const name of COLUMNS) expect(Array.from(q[name]), name).toEqual(Array.from(whole.positions[name].slice(from, to)));
      for (const name of DICTIONARIES) expect(Array.from(q[name].codes), name).toEqual(Array.from(whole.positions[name].codes.slice(from, to)));
      for (const [name, column] of Object.entries(q.attributes)) expect(Array.from(column.codes), name).toEqual(Array.from(whole.positions.attributes[name]!.codes.slice(from, to)));
      const s = part.schedules;
      const rows = whole.schedules.length === 0 ? 0 : Array.from(whole.schedules.positionIndex).filter((i) => i >= from && i < to).length;
      expect(s.length).toBe(rows);
      expect(Array.from(s.positionIndex, (i) => i + from)).toEqual(Array.from(whole.schedules.positionIndex.slice(scheduleRow, scheduleRow + rows)));
      expect(Array.from(s.date)).toEqual(Array.from(whole.schedules.date.slice(scheduleRow, scheduleRow + rows)));
      expect(Array.from(s.principal)).toEqual(Array.from(whole.schedules.principal.slice(scheduleRow, scheduleRow + rows)));
      scheduleRow += rows;
    }
    expect(scheduleRow).toBe(whole.schedules.length);
    expect(() => syntheticBalanceSheet({ positions: 10, asOf: AS_OF, rows: { from: 4, to: 11 } })).toThrow(/0 ≤ from ≤ to ≤ positions \(10\), got 4\.\.11/);
    expect(() => syntheticBalanceSheet({ positions: 10, asOf: AS_OF, rows: { from: 5, to: 4 } })).toThrow(RangeError);
  });

  it('has unique ids and the requested length', () => {
    expect(p.length).toBe(20_000);
    expect(p.id[0]).toBe('P0000001');
    expect(p.id[19_999]).toBe('P0020000');
    expect(new Set(p.id).size).toBe(20_000);
  });

  it('is ~60% assets and ~70% EUR', () => {
    let assets = 0;
    let eur = 0;
    for (let i = 0; i < p.length; i++) {
      if (p.side[i] === 1) assets++;
      if (p.currency.values[p.currency.codes[i] as number] === 'EUR') eur++;
    }
    expect(assets / p.length).toBeGreaterThan(0.58);
    expect(assets / p.length).toBeLessThan(0.62);
    expect(eur / p.length).toBeGreaterThan(0.68);
    expect(eur / p.length).toBeLessThan(0.72);
  });

  it('holds only rows that methodology §1.1 accepts', () => {
    const problems: string[] = [];
    const latest = addMonths(asOf, 360, false) + 1;
    const products = new Set<string>();
    for (let i = 0; i < p.length; i++) {
      const id = p.id[i];
      const amortization = AMORTIZATIONS[p.amortization[i] as number];
      products.add(p.product.values[p.product.codes[i] as number] as string);
      if (!((p.notional[i] as number) > 0)) problems.push(`${id} notional`);
      if (!Number.isFinite(p.rate[i] as number)) problems.push(`${id} rate`);
      if (![1, 3, 6, 12].includes(p.paymentFrequencyMonths[i] as number)) problems.push(`${id} frequency`);
      if ((p.attributes.segment?.codes[i] ?? -1) < 0 || (p.attributes.branch?.codes[i] ?? -1) < 0) problems.push(`${id} attributes`);
      const maturity = p.maturityDate[i] as number;
      if (amortization === 'non_maturing') {
        if (maturity !== NO_DATE || (p.nmdCategory[i] as number) < 0) problems.push(`${id} nmd`);
        continue;
      }
      if (!(maturity > asOf && maturity <= latest)) problems.push(`${id} maturity`);
      if (!((p.startDate[i] as number) <= asOf)) problems.push(`${id} start`);
      if (p.rateType[i] === 1) {
        const reset = p.nextResetDate[i] as number;
        if ((p.index.codes[i] as number) < 0 || !Number.isFinite(p.spread[i] as number) || p.resetFrequencyMonths[i] !== 3) problems.push(`${id} floating terms`);
        if (!(reset > asOf && reset <= asOf + 92 && reset <= maturity)) problems.push(`${id} next reset`);
      } else if ((p.index.codes[i] as number) !== -1 || p.resetFrequencyMonths[i] !== 0 || p.nextResetDate[i] !== NO_DATE) {
        problems.push(`${id} fixed has floating terms`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(products.size).toBe(14);
    expect(p.index.values).toEqual(['EUR_EURIBOR_3M', 'USD_SOFR_3M']);
    expect(p.attributes.segment?.values).toEqual(['retail', 'corporate', 'treasury']);
  });

  it('gives every NMD category, CPR on mortgages and TDRR on term deposits', () => {
    const categories = new Set<number>();
    let mortgagesWithCpr = 0;
    let depositsWithTdrr = 0;
    for (let i = 0; i < p.length; i++) {
      if ((p.nmdCategory[i] as number) >= 0) categories.add(p.nmdCategory[i] as number);
      const product = p.product.values[p.product.codes[i] as number];
      if (product === 'mortgage' && (p.cpr[i] as number) > 0) mortgagesWithCpr++;
      if (product === 'term_deposit' && (p.tdrr[i] as number) > 0) depositsWithTdrr++;
    }
    expect([...categories].sort()).toEqual([0, 1, 2]);
    expect(mortgagesWithCpr).toBeGreaterThan(3000);
    expect(depositsWithTdrr).toBeGreaterThan(2500);
  });

  it('has schedule rows sorted, in the future and within each scheduled loan', () => {
    const s = sheet.schedules;
    expect(s.length).toBeGreaterThan(1000);
    const principalByPosition = new Map<number, number>();
    let order = 0;
    for (let k = 0; k < s.length; k++) {
      const i = s.positionIndex[k] as number;
      const date = s.date[k] as number;
      if (AMORTIZATIONS[p.amortization[i] as number] !== 'scheduled') order++;
      if (date <= asOf || date > (p.maturityDate[i] as number)) order++;
      if (k > 0 && (s.positionIndex[k - 1] as number) === i && (s.date[k - 1] as number) >= date) order++;
      if (k > 0 && (s.positionIndex[k - 1] as number) > i) order++;
      principalByPosition.set(i, (principalByPosition.get(i) ?? 0) + (s.principal[k] as number));
    }
    expect(order).toBe(0);
    const offShare = [...principalByPosition].filter(([i, total]) => Math.abs(total / (p.notional[i] as number) - 0.6) > 1e-3);
    expect(principalByPosition.size).toBeGreaterThan(400);
    expect(offShare).toEqual([]);
  });

  it('refuses a bad date or count', () => {
    expect(() => syntheticBalanceSheet({ positions: 10, asOf: '2025-02-30' })).toThrow(/2025-02-30/);
    expect(() => syntheticBalanceSheet({ positions: -1, asOf: AS_OF })).toThrow(/whole number/);
  });
});

describe('syntheticCurveRows', () => {
  it('builds four upward-sloping curves ON..50Y with OIS discounting', () => {
    const rows = syntheticCurveRows(AS_OF);
    expect(rows.length).toBe(4 * 24);
    const built = buildCurveSet(rows);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.curves.ids()).toEqual(['EUR_ESTR_OIS', 'EUR_EURIBOR_3M', 'USD_SOFR_OIS', 'USD_SOFR_3M']);
    expect(built.curves.discountCurveId('EUR')).toBe('EUR_ESTR_OIS');
    expect(built.curves.discountCurveId('USD')).toBe('USD_SOFR_OIS');
    for (const id of built.curves.ids()) {
      const c = built.curves.get(id);
      const rates = Array.from(c?.rates ?? []);
      expect(rates.every((r, k) => k === 0 || r >= (rates[k - 1] as number))).toBe(true);
      expect((rates[23] as number) - (rates[0] as number)).toBeGreaterThan(0.005);
    }
    // Nelson–Siegel by hand: 0.029 − 0.0095·(1 − e^(−5))/5 = 0.0271128
    expect(built.curves.get('EUR_ESTR_OIS')?.zero(10)).toBeCloseTo(0.0271128, 6);
  });
});
