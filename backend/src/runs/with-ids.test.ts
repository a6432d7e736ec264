import { describe, expect, it } from 'vitest';
import { PositionsBuilder, UnvaluedPositionError, analyse, analysePartial, buildCurveSet, defaultSettings, syntheticCurveRows, type AnalysisInput, type PositionRecord } from '@almready/engine';
import { shareDataset } from './shared-dataset.ts';
import { withIds } from './with-ids.ts';

const AS_OF = '2025-06-12';
const bond = (id: string, maturity: string): PositionRecord => ({
  position_id: id, side: 'asset', product: 'bond', currency: 'EUR', notional: 1_000_000, maturity_date: maturity,
  amortization: 'bullet', rate_type: 'fixed', rate: 0.03, day_count: 'ACT/365',
});

describe('withIds: a shared book without id strings still names the position that cannot be valued', () => {
  const builder = new PositionsBuilder();
  for (const record of [bond('short-1', '2027-06-12'), bond('long-25y', '2050-06-12'), bond('short-2', '2030-06-12')]) builder.add(record);
  const positions = builder.build();
  const shared = shareDataset({ positions, schedules: { length: 0, positionIndex: new Int32Array(0), date: new Int32Array(0), principal: new Float64Array(0) }, curves: syntheticCurveRows(AS_OF), asOf: AS_OF });
  const curves = buildCurveSet(shared.curves);
  if (!curves.ok) throw new Error('curves');
  // a user scenario whose shock is undefined beyond 20 years: only the 25-year bond meets it
  const broken = { id: 'broken_tail', label: 'broken tail', shock: () => (t: number) => (t > 20 ? Number.NaN : 0.01), floorable: false, rampMonths: 0 };
  const input: AnalysisInput = { positions: shared.positions, curves: curves.curves, settings: { ...defaultSettings(AS_OF), scenarios: ['parallel_up', 'broken_tail'], customScenarios: [broken] } };

  const failure = (run: () => unknown): UnvaluedPositionError => {
    try {
      run();
    } catch (error) {
      if (error instanceof UnvaluedPositionError) return error;
      throw error;
    }
    throw new Error('the run did not fail');
  };

  it('without it the engine can only give a row number; with it, the id', () => {
    expect(shared.positions.id).toEqual([]);
    expect(failure(() => analyse(input)).positionIds[0]).toMatch(/^at row \d$/);
    const named = failure(() => withIds(input, shared.ids, analyse));
    expect(named.positionIds).toEqual(['long-25y']);
    expect(named.messages[0]).toMatch(/^position long-25y cannot be valued: its EVE \(broken_tail\) is not a number/);
    // a part of a split run names it the same way
    expect(failure(() => withIds(input, shared.ids, (i) => analysePartial(i, 0, 3))).positionIds).toEqual(['long-25y']);
  });

  it('passes a good run through untouched', () => {
    const good = { ...input, settings: { ...input.settings, scenarios: ['parallel_up'], customScenarios: [] } };
    expect(withIds(good, shared.ids, analyse).eve.base).toBe(analyse(good).eve.base);
  });
});
