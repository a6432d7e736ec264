/** The Runs page's view model over a real run's answers (api/fixtures): figures and verdicts as the engine sent them. */
import { describe, expect, it } from 'vitest';
import { REGULATORY_SCENARIO_IDS, runSummarySchema } from '@almready/contracts';
import { fixtures } from '../api/fixtures/index.ts';
import { currencyLines, gapPoints, niiProfilePoints, scenarioImpacts, totalsCurrency, verdict } from './runResults.ts';

const { run, eve, nii, gap } = fixtures;
const summary = run.summary!;
const tier1 = run.settings.tier1!;

describe('scenarioImpacts', () => {
  it('shows each scenario\'s EVE and ΔEVE exactly as the eve table sends them, in its order', () => {
    const impacts = scenarioImpacts(eve, tier1);
    expect(impacts.map((i) => i.scenario)).toEqual(run.settings.scenarios);
    expect(impacts.map((i) => [i.value, i.delta])).toEqual(eve.rows.map((r) => [r.eve, r.delta_eve]));
    expect(impacts.find((i) => i.scenario === 'base')?.value).toBe(summary.eveBase);
    const worst = impacts.find((i) => i.scenario === summary.worstEve.scenario)!;
    expect(worst.delta).toBe(summary.worstEve.delta);
    expect(worst.deltaOfTier1).toBeCloseTo(summary.outlierTests.eve.ratio!, 12);
  });

  it('shows NII and ΔNII as the nii table sends them; no share of Tier 1 without Tier 1', () => {
    const impacts = scenarioImpacts(nii, null);
    expect(impacts.map((i) => [i.scenario, i.value, i.delta])).toEqual(nii.rows.map((r) => [r.scenario, r.nii, r.delta_nii]));
    expect(impacts.every((i) => i.deltaOfTier1 === null)).toBe(true);
    expect(impacts.find((i) => i.scenario === 'base')?.value).toBe(summary.niiBase);
  });
});

describe('verdict', () => {
  it('EVE: the engine\'s verdict over the regulatory shocks, saying the extra shock is not counted', () => {
    const v = verdict(summary, 'eve', run.settings.scenarios);
    expect(summary.outlierTests.eve.flagged).toBe(true);
    expect(v).toEqual({
      status: 'outlier',
      limit: -0.15,
      worstScenario: summary.outlierTests.eve.worst_scenario,
      ratio: summary.outlierTests.eve.ratio,
      scope: 'EVE test: counts the regulatory shocks only, not parallel_down_300',
    });
    expect(REGULATORY_SCENARIO_IDS).toContain(v.worstScenario);
  });

  it('NII: passes as the engine says, although short_up loses more than 5% of Tier 1, and says the test counts the parallel shocks only', () => {
    const shortUp = scenarioImpacts(nii, tier1).find((i) => i.scenario === 'short_up')!;
    expect(shortUp.deltaOfTier1!).toBeLessThan(-0.05); // a test over every shock shown would say "breached"
    const v = verdict(summary, 'nii', run.settings.scenarios);
    expect(v.status).toBe('pass');
    expect(v.worstScenario).toBe(summary.outlierTests.nii.worst_scenario);
    expect(['parallel_up', 'parallel_down']).toContain(v.worstScenario);
    expect(v.ratio).toBe(summary.outlierTests.nii.ratio);
    expect(v.scope).toBe('EU NII test: counts parallel_up and parallel_down only, not steepener, flattener, short_up, short_down, parallel_down_300');
  });

  it('without Tier 1 the engine runs no test and the page says so', () => {
    const noTier1 = runSummarySchema.parse({
      ...summary,
      outlierTests: {
        tier1: null,
        eve: { ...summary.outlierTests.eve, threshold: null, ratio: null, flagged: false },
        nii: { ...summary.outlierTests.nii, threshold: null, ratio: null, flagged: false },
      },
    });
    expect(verdict(noTier1, 'eve', run.settings.scenarios).status).toBe('unknown');
    expect(verdict(noTier1, 'nii', ['base', 'parallel_up', 'parallel_down']).scope).toBe('EU NII test: counts parallel_up and parallel_down only');
    expect(verdict(noTier1, 'eve', ['base', 'parallel_up', 'parallel_down']).scope).toBeNull();
  });
});

describe('gapPoints', () => {
  it('plots each bucket\'s gap and the engine\'s cumulative gap as sent', () => {
    const points = gapPoints(gap);
    expect(points.length).toBe(gap.rows.length);
    expect(points.map((p) => [p.bucket, p.gap, p.cumulative])).toEqual(gap.rows.map((r) => [r.bucket, r.gap, r.cumulative_gap]));
    expect(points[0]!.bucket).toBe('O/N');
  });
});

describe('currencies and the NII profile', () => {
  it('states the currency of the totals, and that several are summed unconverted', () => {
    expect(summary.currencies).toEqual(['EUR', 'USD']);
    expect(totalsCurrency(summary.currencies)).toEqual({ label: 'EUR + USD, summed without FX conversion', mixed: true });
    expect(totalsCurrency(['EUR'])).toEqual({ label: 'EUR', mixed: false });
    expect(totalsCurrency(undefined).mixed).toBe(false);
  });

  it('breaks EVE and NII down by currency, the parts adding up to the engine\'s totals', () => {
    const eveLines = currencyLines(fixtures.eveByCurrency, 'eve');
    expect(eveLines.map((l) => l.currency).sort()).toEqual(['EUR', 'USD']);
    expect(eveLines.reduce((n, l) => n + l.base, 0)).toBeCloseTo(summary.eveBase, 4);
    const worst = summary.worstEve.scenario!;
    expect(eveLines.reduce((n, l) => n + (l.deltas[worst] ?? NaN), 0)).toBeCloseTo(summary.worstEve.delta, 4);
    const niiLines = currencyLines(fixtures.niiByCurrency, 'nii');
    expect(niiLines.reduce((n, l) => n + l.base, 0)).toBeCloseTo(summary.niiBase, 4);
  });

  it('pivots the NII profile into one point per month with every scenario, summing to the horizon NII', () => {
    const { points, scenarios } = niiProfilePoints(fixtures.niiProfile);
    expect(scenarios).toEqual(run.settings.scenarios);
    expect(points.map((p) => p.month)).toEqual(Array.from({ length: run.settings.niiHorizonMonths }, (_, i) => i + 1));
    expect(points.reduce((n, p) => n + (p.base as number), 0)).toBeCloseTo(summary.niiBase, 4);
  });
});
