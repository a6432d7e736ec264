import { describe, expect, it } from 'vitest';
import { FlowBuffer } from './cashflows/flow-buffer.ts';
import { FlowGenerator, flowOptions } from './cashflows/generate.ts';
import { analyse } from './analyse.ts';
import { buildCurveSet } from './curve-set.ts';
import { formatIsoDate, parseIsoDate } from './dates.ts';
import { PositionsBuilder } from './position-builder.ts';
import { AMORTIZATIONS, DAY_COUNTS, type PositionRecord } from './positions.ts';
import { REGULATORY_SCENARIO_IDS } from './scenarios.ts';
import { DEFAULTS, defaultSettings, paymentMonths, resetMonths, resolveSettings } from './settings.ts';
import { REPRODUCTION_CURVE_ROWS } from './testing/hand-market.ts';
import { positionWork } from './work-split.ts';

// Every default of the engine lives in settings.ts DEFAULTS; this pins the values and that each
// reader (settings, builder, generator, work split) takes them from there.

const AS_OF = '2025-06-12';
const built = buildCurveSet(REPRODUCTION_CURVE_ROWS);
if (!built.ok) throw new Error(JSON.stringify(built.errors));
const curves = built.curves;

const BULLET_FLOATER: PositionRecord = {
  position_id: 'F1', side: 'asset', product: 'loan', currency: 'EUR', notional: 1_000_000,
  start_date: '2024-09-30', maturity_date: '2029-09-30', amortization: 'bullet', rate_type: 'floating',
  rate: 0.03, index: 'EUR_EURIBOR_3M', spread: 0.001, day_count: 'ACT/360',
};

describe('engine defaults (settings.ts DEFAULTS)', () => {
  it('are the documented values', () => {
    expect(DEFAULTS).toEqual({
      method: 'full', floor: 'eu', scenarios: REGULATORY_SCENARIO_IDS, niiHorizonMonths: 12, balanceSheet: 'constant',
      dayCount: 'ACT/365', bulletPaymentMonths: 12, amortisingPaymentMonths: 1,
    });
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(AMORTIZATIONS[0]).toBe('bullet'); // paymentMonths compares with code 0
  });

  it('defaultSettings and resolveSettings fill them in', () => {
    expect(defaultSettings(AS_OF)).toEqual({
      asOf: AS_OF, method: 'full', floor: 'eu', scenarios: [...REGULATORY_SCENARIO_IDS], niiHorizonMonths: 12, balanceSheet: 'constant',
    });
    const b = new PositionsBuilder();
    b.add(BULLET_FLOATER);
    const { balanceSheet: _, ...withoutBalanceSheet } = defaultSettings(AS_OF);
    const resolved = resolveSettings(withoutBalanceSheet, b.build(), curves);
    expect(resolved.balanceSheet).toBe('constant');
    expect(resolved.breakdownBy).toEqual([]);
    expect(resolved.method).toBe('full');
    expect(resolved.floor).toBe('eu');
    expect(resolved.niiHorizonMonths).toBe(12);
    expect(resolved.scenarios.map((s) => s.id)).toEqual(['base', ...REGULATORY_SCENARIO_IDS]);
    expect(resolved.asOf).toBe(parseIsoDate(AS_OF));
  });

  it('an empty payment frequency is yearly for bullets, monthly otherwise; an empty reset follows the payment', () => {
    AMORTIZATIONS.forEach((name, code) => expect(paymentMonths(code, 0)).toBe(name === 'bullet' ? 12 : 1));
    expect(paymentMonths(0, 3)).toBe(3);
    expect(paymentMonths(2, 6)).toBe(6);
    expect(resetMonths(0, 0, 0)).toBe(12);
    expect(resetMonths(2, 0, 0)).toBe(1);
    expect(resetMonths(0, 0, 6)).toBe(6);
    expect(resetMonths(0, 3, 6)).toBe(3);
  });

  it('the builder stores them for a record that gives none', () => {
    const b = new PositionsBuilder();
    b.add(BULLET_FLOATER);
    b.add({ ...BULLET_FLOATER, position_id: 'A1', amortization: 'annuity', rate_type: 'fixed', index: undefined, day_count: undefined });
    const p = b.build();
    expect([...p.paymentFrequencyMonths]).toEqual([12, 1]);
    expect([...p.resetFrequencyMonths]).toEqual([12, 0]);
    expect(DAY_COUNTS[p.dayCount[1] as number]).toBe('ACT/365');
  });

  it('the generator and the work split read an empty (0) frequency column as the builder fills it', () => {
    const b = new PositionsBuilder();
    b.add(BULLET_FLOATER);
    const filled = b.build();
    const empty = { ...filled, paymentFrequencyMonths: new Uint16Array(1), resetFrequencyMonths: new Uint16Array(1) };
    const asOf = parseIsoDate(AS_OF) as number;
    const last = parseIsoDate('2031-01-01') as number;
    const flows = (columns: typeof filled) => {
      const g = new FlowGenerator(columns, undefined, asOf, last);
      expect(g.prepare(0)).toBe(true);
      const out = new FlowBuffer();
      g.run(flowOptions(asOf, false, Number.POSITIVE_INFINITY), out);
      return { frequency: g.frequency, resets: [...g.resets].map(formatIsoDate), days: [...out.day.subarray(0, out.count)].map(formatIsoDate) };
    };
    const fromEmpty = flows(empty);
    expect(fromEmpty).toEqual(flows(filled));
    expect(fromEmpty.frequency).toBe(12);
    expect(fromEmpty.days).toEqual(['2025-09-30', '2026-09-30', '2027-09-30', '2028-09-30', '2029-09-30']);
    expect(fromEmpty.resets.slice(0, 3)).toEqual(['2025-09-30', '2026-09-30', '2027-09-30']);
    expect(positionWork(empty, asOf, 0)).toBe(positionWork(filled, asOf, 0));
    expect(positionWork(empty, asOf, 0, { horizonMonths: 12 })).toBe(positionWork(empty, asOf, 0));
  });
});

describe('an empty frequency column in a run', () => {
  it('a bullet floater with neither frequency runs as the same floater with 12 and 12: EVE, NII (its renewals too) and gap', () => {
    const b = new PositionsBuilder();
    // matures inside the NII horizon: the constant balance sheet renews it at the reset frequency (§7)
    b.add({ ...BULLET_FLOATER, maturity_date: '2025-12-31', start_date: '2024-12-31' });
    b.add({ ...BULLET_FLOATER, position_id: 'F2' });
    const filled = b.build();
    expect([...filled.paymentFrequencyMonths, ...filled.resetFrequencyMonths]).toEqual([12, 12, 12, 12]);
    const empty = { ...filled, paymentFrequencyMonths: new Uint16Array(2), resetFrequencyMonths: new Uint16Array(2) };
    const settings = defaultSettings(AS_OF);
    const fromFilled = analyse({ positions: filled, curves, settings });
    const fromEmpty = analyse({ positions: empty, curves, settings });
    expect(fromEmpty.nii.base).toBe(fromFilled.nii.base);
    expect(fromEmpty.nii.scenarios).toEqual(fromFilled.nii.scenarios);
    expect(fromEmpty.eve.base).toBe(fromFilled.eve.base);
    expect(fromEmpty.gap).toEqual(fromFilled.gap);
  });
});

describe('settings left out', () => {
  const b = new PositionsBuilder();
  b.add(BULLET_FLOATER);
  const positions = b.build();

  it('only asOf is required: every other setting takes its DEFAULTS value, the regulatory scenarios included', () => {
    const resolved = resolveSettings({ asOf: AS_OF }, positions, curves);
    expect(resolved).toMatchObject({ method: 'full', floor: 'eu', niiHorizonMonths: 12, balanceSheet: 'constant', breakdownBy: [], tier1: undefined, nmd: undefined });
    expect(resolved.scenarios.map((s) => s.id)).toEqual(['base', ...REGULATORY_SCENARIO_IDS]);
    expect(analyse({ positions, curves, settings: { asOf: AS_OF } })).toEqual(analyse({ positions, curves, settings: defaultSettings(AS_OF) }));
  });

  it('an empty scenario list is base only, and a bad value given is still refused by name', () => {
    expect(resolveSettings({ asOf: AS_OF, scenarios: [] }, positions, curves).scenarios.map((s) => s.id)).toEqual(['base']);
    expect(() => resolveSettings({ asOf: AS_OF, method: 'fast' as never, niiHorizonMonths: 0 }, positions, curves)).toThrow(
      /method must be "full" or "standardised", got "fast"[\s\S]*niiHorizonMonths must be a whole number of months between 1 and 120, got 0/,
    );
  });
});
