import { describe, expect, it } from 'vitest';
import { analyse } from './analyse.ts';
import { buildCurveSet } from './curve-set.ts';
import { localityOrder, reorderPositions } from './locality.ts';
import { defaultSettings } from './settings.ts';
import { syntheticBalanceSheet } from './synthetic.ts';

const AS_OF = '2025-06-30';
const data = syntheticBalanceSheet({ positions: 4000, asOf: AS_OF, seed: 9 });
const p = data.positions;

describe('localityOrder', () => {
  it('is a permutation that puts each product, currency and payment day together', () => {
    const order = localityOrder(p);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: p.length }, (_, k) => k));
    // a (product, currency) pair occupies one contiguous run of the order
    const seen = new Set<string>();
    let previous = '';
    for (const i of order) {
      const key = `${p.product.codes[i]}|${p.currency.codes[i]}|${p.side[i]}`;
      if (key !== previous) {
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        previous = key;
      }
    }
    expect(seen.size).toBeGreaterThan(20);
  });

  it('does not depend on the file order', () => {
    const shuffled = Int32Array.from({ length: p.length }, (_, k) => (k * 7919) % p.length);
    const book = reorderPositions(p, data.schedules, shuffled).positions;
    const again = localityOrder(book);
    const ids = (q: typeof p, order: Int32Array) => Array.from(order, (i) => q.id[i]);
    // same keys in the same order; ties keep file order, so compare the key sequence
    const keys = (q: typeof p, order: Int32Array) => Array.from(order, (i) => `${q.product.codes[i]}|${q.currency.codes[i]}|${q.paymentFrequencyMonths[i]}|${q.dayCount[i]}`);
    expect(keys(book, again)).toEqual(keys(p, localityOrder(p)));
    expect(new Set(ids(book, again)).size).toBe(p.length);
  });
});

describe('reorderPositions', () => {
  it('moves every column and keeps schedule rows with their positions', () => {
    const order = localityOrder(p);
    const { positions: q, schedules } = reorderPositions(p, data.schedules, order);
    for (const k of [0, 17, 1999, p.length - 1]) {
      const i = order[k] as number;
      expect(q.id[k]).toBe(p.id[i]);
      expect(q.notional[k]).toBe(p.notional[i]);
      expect(q.maturityDate[k]).toBe(p.maturityDate[i]);
      expect(q.attributes['segment']!.codes[k]).toBe(p.attributes['segment']!.codes[i]);
    }
    expect(schedules!.length).toBe(data.schedules.length);
    expect(data.schedules.length).toBeGreaterThan(100);
    const rank = new Int32Array(p.length);
    order.forEach((i, k) => (rank[i] = k));
    // rows sorted by new position; each row's (id, date, principal) is one of the original rows
    const original = new Set(Array.from({ length: data.schedules.length }, (_, r) => `${p.id[data.schedules.positionIndex[r]!]}|${data.schedules.date[r]}|${data.schedules.principal[r]}`));
    for (let r = 0; r < schedules!.length; r++) {
      if (r > 0) expect(schedules!.positionIndex[r]!).toBeGreaterThanOrEqual(schedules!.positionIndex[r - 1]!);
      expect(original.has(`${q.id[schedules!.positionIndex[r]!]}|${schedules!.date[r]}|${schedules!.principal[r]}`)).toBe(true);
    }
  });

  it('refuses an order of the wrong length', () => {
    expect(() => reorderPositions(p, undefined, new Int32Array(3))).toThrow(/3 entries for 4000 positions/);
  });
});

describe('analyse in any file order', () => {
  it('gives the same EVE, NII and gap for a shuffled book (it visits positions in locality order)', () => {
    const built = buildCurveSet(data.curves);
    if (!built.ok) throw new Error('synthetic curves rejected');
    const settings = { ...defaultSettings(AS_OF), breakdownBy: ['branch'] };
    const a = analyse({ positions: p, schedules: data.schedules, curves: built.curves, settings });
    const shuffled = Int32Array.from({ length: p.length }, (_, k) => (k * 7919) % p.length);
    const book = reorderPositions(p, data.schedules, shuffled);
    const b = analyse({ positions: book.positions, schedules: book.schedules, curves: built.curves, settings });
    const close = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));
    close(b.eve.base, a.eve.base);
    expect(Math.abs(a.eve.base)).toBeGreaterThan(1e6);
    for (const id of a.scenarios.slice(1)) {
      close(b.eve.scenarios[id]!.delta, a.eve.scenarios[id]!.delta);
      close(b.nii.scenarios[id]!.value, a.nii.scenarios[id]!.value);
    }
    a.gap.forEach((row, k) => close(b.gap[k]!.gap, row.gap));
    expect(b.eve.breakdown['branch']!.map((r) => r.key)).toEqual(a.eve.breakdown['branch']!.map((r) => r.key));
  });
});
