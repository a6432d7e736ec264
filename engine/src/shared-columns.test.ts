import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { analyse } from './analyse.ts';
import { buildCurveSet } from './curve-set.ts';
import { analysePartial, mergeAnalyses } from './partition.ts';
import { defaultSettings } from './settings.ts';
import type { PositionColumns, ScheduleColumns } from './positions.ts';
import { localityOrder, reorderPositions } from './locality.ts';
import { columnNames, gatherColumns, isShared, reorderSchedules, shareColumns, shareInLocalityOrder, shareSchedules, sharedLike } from './shared-columns.ts';
import { balancedCut } from './work-split.ts';
import { syntheticBalanceSheet } from './synthetic.ts';

const book = syntheticBalanceSheet({ positions: 3_000, asOf: '2025-06-30', seed: 3 });

const typedKeys = [
  'side', 'notional', 'startDate', 'maturityDate', 'amortization', 'rateType', 'rate', 'spread', 'paymentFrequencyMonths',
  'resetFrequencyMonths', 'nextResetDate', 'dayCount', 'floor', 'cap', 'nmdCategory', 'cpr', 'tdrr',
] as const;

/**
 * A worker that receives {p, s}, writes notional[0] and principal[0] in its copy, reports back,
 * then answers what it reads at rate[2] after the main thread wrote there.
 */
const WORKER = `
const { parentPort } = require('node:worker_threads');
let book;
parentPort.on('message', (message) => {
  if (message.book) {
    book = message.book;
    book.p.notional[0] = 12345.5;
    book.s.principal[0] = -777;
    parentPort.postMessage({ written: true, sawNotional1: book.p.notional[1] });
  } else {
    parentPort.postMessage({ rate2: book.p.rate[2], segment0: book.p.attributes.segment.codes[0] });
  }
});
`;

/** Sends the columns to a fresh worker and reports what each side saw of the other's writes. */
async function roundTrip(p: PositionColumns, s: ScheduleColumns): Promise<{ notional0: number; principal0: number; sawNotional1: number; rate2: number; segment0: number }> {
  const worker = new Worker(WORKER, { eval: true });
  const next = (): Promise<Record<string, number>> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  try {
    const written = next();
    worker.postMessage({ book: { p, s } });
    const first = await written;
    const notional0 = p.notional[0] as number;
    const principal0 = s.principal[0] as number;
    p.rate[2] = 0.4242;
    (p.attributes['segment'] as { codes: Int32Array }).codes[0] = 2;
    const read = next();
    worker.postMessage({ read: true });
    const second = await read;
    return { notional0, principal0, sawNotional1: first['sawNotional1'] as number, rate2: second['rate2'] as number, segment0: second['segment0'] as number };
  } finally {
    await worker.terminate();
  }
}

describe('shareColumns / shareSchedules', () => {
  it('copies every column element by element onto SharedArrayBuffer', () => {
    const p = book.positions;
    const shared = shareColumns(p);
    expect(shared.length).toBe(3_000);
    expect(isShared(p, book.schedules)).toBe(false);
    expect(isShared(shared)).toBe(true);
    for (const key of typedKeys) {
      expect(shared[key]).not.toBe(p[key]);
      expect(shared[key].constructor).toBe(p[key].constructor);
      expect(shared[key].buffer).toBeInstanceOf(SharedArrayBuffer);
      // NaN-aware element comparison (spread, floor, cap, cpr, tdrr hold NaN where absent)
      expect(Array.from(shared[key])).toEqual(Array.from(p[key]));
    }
    for (const key of ['product', 'currency', 'index'] as const) {
      expect(Array.from(shared[key].codes)).toEqual(Array.from(p[key].codes));
      expect(shared[key].values).toEqual(p[key].values);
    }
    expect(Object.keys(shared.attributes)).toEqual(['segment', 'branch']);
    expect(Array.from(shared.attributes['branch']!.codes)).toEqual(Array.from(p.attributes['branch']!.codes));
    expect(shared.id).toEqual(p.id);
    expect(shared.id[2999]).toBe('P0003000');
  });

  it('leaves the ids out on request, and the copy no longer follows the original', () => {
    const shared = shareColumns(book.positions, { ids: false });
    expect(shared.id).toEqual([]);
    expect(shared.notional[5]).toBe(book.positions.notional[5]);
    shared.notional[5] = -1;
    expect(book.positions.notional[5]).not.toBe(-1);
  });

  it('copies the schedules onto SharedArrayBuffer', () => {
    const s = book.schedules;
    expect(s.length).toBeGreaterThan(100);
    const shared = shareSchedules(s);
    expect(shared.length).toBe(s.length);
    expect(isShared(shareColumns(book.positions), shared)).toBe(true);
    expect(Array.from(shared.positionIndex)).toEqual(Array.from(s.positionIndex));
    expect(Array.from(shared.date)).toEqual(Array.from(s.date));
    expect(Array.from(shared.principal)).toEqual(Array.from(s.principal));
  });

  it('a worker receiving the shared columns writes into the same memory, and reads the main thread\'s writes', async () => {
    const p = shareColumns(book.positions, { ids: false });
    const s = shareSchedules(book.schedules);
    const seen = await roundTrip(p, s);
    expect(seen.sawNotional1).toBe(book.positions.notional[1]);
    expect(seen.notional0).toBe(12345.5);
    expect(seen.principal0).toBe(-777);
    expect(seen.rate2).toBe(0.4242);
    expect(seen.segment0).toBe(2);
  });

  it('(control) ordinary columns are copied by postMessage: neither side sees the other\'s writes', async () => {
    const original = book.positions;
    const segment = { codes: original.attributes['segment']!.codes.slice(), values: original.attributes['segment']!.values };
    const p = { ...original, notional: original.notional.slice(), rate: original.rate.slice(), attributes: { ...original.attributes, segment } };
    const s = { ...book.schedules, principal: book.schedules.principal.slice() };
    const before = { notional0: p.notional[0] as number, principal0: s.principal[0] as number };
    const seen = await roundTrip(p, s);
    expect(seen.notional0).toBe(before.notional0);
    expect(seen.principal0).toBe(before.principal0);
    expect(seen.rate2).not.toBe(0.4242);
  });

  it('without ids the analysis is the same: no pass reads them', () => {
    const built = buildCurveSet(book.curves);
    if (!built.ok) throw new Error('synthetic curves rejected');
    const nmd = [{ category: 'retail_transactional' as const, stableShare: 0.8, coreShare: 0.7, averageMaturityYears: 4 }];
    const settings = { ...defaultSettings('2025-06-30'), nmd, breakdownBy: ['segment', 'branch'], tier1: 2e8 };
    const original = analyse({ positions: book.positions, schedules: book.schedules, curves: built.curves, settings });
    const input = { positions: shareColumns(book.positions, { ids: false }), schedules: shareSchedules(book.schedules), curves: built.curves, settings };
    expect(analyse(input)).toEqual(original);
    expect(Math.abs(original.eve.base)).toBeGreaterThan(1e6);
    const merged = mergeAnalyses(input, [analysePartial(input, 0, 1_700), analysePartial(input, 1_700, 3_000)]);
    expect(Math.abs(merged.eve.base - original.eve.base)).toBeLessThan(1e-9 * Math.abs(original.eve.base));
    expect(Math.abs(merged.nii.base - original.nii.base)).toBeLessThan(1e-9 * Math.abs(original.nii.base));
  });

  it('a reorder shared out by columns (two threads\' shares, any split) equals reorderPositions, on SharedArrayBuffer', () => {
    const p = shareColumns(book.positions, { ids: false });
    const order = localityOrder(p);
    const expected = reorderPositions(p, book.schedules, order, false);
    const names = columnNames(p);
    expect(names).toHaveLength(22); // 17 typed columns, 3 dictionaries, 2 attributes
    const target = sharedLike(p);
    expect(target.notional.every((x) => x === 0)).toBe(true);
    gatherColumns(p, target, order, names.filter((_, k) => k % 2 === 0));
    gatherColumns(p, target, order, names.filter((_, k) => k % 2 === 1));
    expect(isShared(target)).toBe(true);
    for (const key of typedKeys) expect(Array.from(target[key])).toEqual(Array.from(expected.positions[key]));
    expect(Array.from(target.attributes['branch']!.codes)).toEqual(Array.from(expected.positions.attributes['branch']!.codes));
    expect(target.product.values).toEqual(p.product.values);
    const schedules = reorderSchedules(book.schedules, order);
    expect(schedules.positionIndex.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(schedules.positionIndex)).toEqual(Array.from(expected.schedules!.positionIndex));
    expect(Array.from(schedules.date)).toEqual(Array.from(expected.schedules!.date));
    expect(Array.from(schedules.principal)).toEqual(Array.from(expected.schedules!.principal));
    expect(() => gatherColumns(p, target, order, ['id'])).toThrow(/no typed column "id"/);
    expect(() => gatherColumns(p, target, order.subarray(1), ['rate'])).toThrow(/must have one length/);
  });
});

describe('shareInLocalityOrder: the book a split run hands to its threads', () => {
  const built = buildCurveSet(book.curves);
  if (!built.ok) throw new Error('synthetic curves do not build');
  const settings = { ...defaultSettings('2025-06-30'), breakdownBy: ['segment'] };

  it('is shared, in locality order (order is a permutation), and its runs equal the book in file order exactly', () => {
    const shared = shareInLocalityOrder(book.positions, book.schedules);
    expect(isShared(shared.positions, shared.schedules)).toBe(true);
    expect(shared.positions.id).toEqual([]);
    expect([...shared.order].sort((a, b) => a - b)).toEqual(Array.from({ length: book.positions.length }, (_, k) => k));
    // already in locality order: its own locality order is the identity
    expect([...localityOrder(shared.positions)]).toEqual(Array.from({ length: book.positions.length }, (_, k) => k));
    for (const key of typedKeys) expect(shared.positions[key][5]).toBe(book.positions[key][shared.order[5]!]);
    const plain = analyse({ positions: book.positions, schedules: book.schedules, curves: built.curves, settings });
    const input = { positions: shared.positions, schedules: shared.schedules, curves: built.curves, settings };
    // the same visiting order: bit-identical, not just close
    expect(analyse(input)).toEqual(plain);
    const cuts = balancedCut(shared.positions, Date.UTC(2025, 5, 30) / 86_400_000, 3);
    const merged = mergeAnalyses(input, [0, 1, 2].map((k) => analysePartial(input, cuts[k]!, cuts[k + 1]!)));
    expect(merged.eve.base).toBeCloseTo(plain.eve.base, 6);
    expect(Math.abs(merged.nii.base - plain.nii.base)).toBeLessThanOrEqual(1e-9 * Math.abs(plain.nii.base));
    for (const id of plain.scenarios.slice(1)) {
      expect(Math.abs(merged.eve.scenarios[id]!.value - plain.eve.scenarios[id]!.value)).toBeLessThanOrEqual(1e-9 * Math.abs(plain.eve.scenarios[id]!.value));
    }
  });

  it('analysePartial reports its range\'s progress through onProgress', () => {
    const shared = shareInLocalityOrder(book.positions, book.schedules);
    const heard: string[] = [];
    analysePartial({ positions: shared.positions, schedules: shared.schedules, curves: built.curves, settings, onProgress: (phase) => heard.push(phase) }, 0, 100);
    expect(heard).toContain('eve');
    expect(heard).toContain('gap');
  });
});
