/**
 * A custom scenario's behaviour (Scenario.behaviour, methodology §5): the CPR and TDRR multipliers
 * of the regulatory scenario it names. Rebuilding a regulatory scenario with its own behaviour
 * gives that scenario's figures exactly; `neutral` runs the contractual rates, which is checked
 * against the built-in scenario on a book whose rates are divided by that scenario's multipliers.
 */
import { describe, expect, it } from 'vitest';
import { analyse, type AnalysisResult } from './analyse.ts';
import { cprMultiplier, tdrrMultiplier } from './behaviour.ts';
import { buildCurveSet } from './curve-set.ts';
import type { PositionColumns } from './positions.ts';
import { customScenario, REGULATORY_SCENARIO_IDS, scenarioById, ScenarioDefinitionError, type BehaviourId, type Scenario } from './scenarios.ts';
import { defaultSettings } from './settings.ts';
import { syntheticBalanceSheet } from './synthetic.ts';

const AS_OF = '2025-06-30';
const bank = syntheticBalanceSheet({ positions: 1500, asOf: AS_OF, seed: 5 });
const built = buildCurveSet(bank.curves);
if (!built.ok) throw new Error('synthetic curves rejected');
const curveSet = built.curves;

/** The regulatory scenario `id` under another id, with the given behaviour (or none). */
function rebuilt(id: string, behaviour: BehaviourId | undefined): Scenario {
  const original = scenarioById(id) as Scenario;
  return { ...original, id: `my_${id}`, label: `My ${id}`, ...(behaviour ? { behaviour } : {}) };
}

function run(positions: PositionColumns, method: 'full' | 'standardised', scenarios: string[], customScenarios: Scenario[]): AnalysisResult {
  return analyse({ positions, schedules: bank.schedules, curves: curveSet, settings: { ...defaultSettings(AS_OF), method, scenarios, customScenarios } });
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('custom scenario behaviour', () => {
  it('the book has prepaying assets and redeemable liabilities (else the test proves nothing)', () => {
    let cpr = 0;
    let tdrr = 0;
    for (let i = 0; i < bank.positions.length; i++) {
      if (bank.positions.side[i] === 1 && (bank.positions.cpr[i] as number) > 0) cpr++;
      if (bank.positions.side[i] === -1 && (bank.positions.tdrr[i] as number) > 0) tdrr++;
    }
    expect(cpr).toBeGreaterThan(100);
    expect(tdrr).toBeGreaterThan(20);
  });

  for (const method of ['full', 'standardised'] as const) {
    it(`each regulatory scenario rebuilt with its own behaviour gives its EVE and NII exactly (${method})`, () => {
      const customs = REGULATORY_SCENARIO_IDS.map((id) => rebuilt(id, id));
      const r = run(bank.positions, method, [...REGULATORY_SCENARIO_IDS, ...customs.map((s) => s.id)], customs);
      for (const id of REGULATORY_SCENARIO_IDS) {
        expect(r.eve.scenarios[`my_${id}`]!.value, id).toBe(r.eve.scenarios[id]!.value);
        expect(r.nii.scenarios[`my_${id}`]!.value, id).toBe(r.nii.scenarios[id]!.value);
      }
    });
  }

  it('neutral runs the contractual rates: the built-in scenario on rates divided by its multipliers, to 1e-9; no behaviour is neutral', () => {
    for (const id of ['parallel_up', 'parallel_down', 'steepener', 'flattener'] as const) {
      const neutral = rebuilt(id, 'neutral');
      const unset = { ...rebuilt(id, undefined), id: `unset_${id}` };
      const r = run(bank.positions, 'full', [id, neutral.id, unset.id], [neutral, unset]);
      // the multipliers matter on this book: neutral is not the built-in figure
      expect(relative(r.eve.scenarios[neutral.id]!.value, r.eve.scenarios[id]!.value), id).toBeGreaterThan(1e-7);
      expect(relative(r.nii.scenarios[neutral.id]!.value, r.nii.scenarios[id]!.value), id).toBeGreaterThan(1e-7);
      expect(r.eve.scenarios[unset.id]!.value).toBe(r.eve.scenarios[neutral.id]!.value);
      expect(r.nii.scenarios[unset.id]!.value).toBe(r.nii.scenarios[neutral.id]!.value);
      // the built-in scenario scales cpr and tdrr by its multipliers: undo them in the data
      const cpr = cprMultiplier(id);
      const tdrr = tdrrMultiplier(id);
      const undone: PositionColumns = { ...bank.positions, cpr: bank.positions.cpr.map((x) => x / cpr), tdrr: bank.positions.tdrr.map((x) => x / tdrr) };
      const expected = run(undone, 'full', [id], []);
      expect(relative(r.eve.scenarios[neutral.id]!.value, expected.eve.scenarios[id]!.value), id).toBeLessThanOrEqual(1e-9);
      expect(relative(r.nii.scenarios[neutral.id]!.value, expected.nii.scenarios[id]!.value), id).toBeLessThanOrEqual(1e-9);
    }
  });

  it('customScenario takes a behaviour and refuses an unknown one by name', () => {
    expect(customScenario('twist', 'Twist', { '1Y': -50, '10Y': 50 }, { behaviour: 'steepener' }).behaviour).toBe('steepener');
    expect(customScenario('twist', 'Twist', { '1Y': -50, '10Y': 50 }).behaviour).toBeUndefined();
    expect(() => customScenario('twist', 'Twist', { '1Y': 10 }, { behaviour: 'sideways' as BehaviourId })).toThrow(ScenarioDefinitionError);
    expect(() => customScenario('twist', 'Twist', { '1Y': 10 }, { behaviour: 'sideways' as BehaviourId })).toThrow(
      'scenario twist: behaviour must be one of parallel_up, parallel_down, steepener, flattener, short_up, short_down, neutral, got "sideways"',
    );
  });
});
