import { describe, expect, it } from 'vitest';
import * as engine from '@almready/engine';
import * as testing from '@almready/engine/testing';

// The public surface is a reviewed list: a value added to or dropped from src/index.ts changes this
// test on purpose, so the change is seen (and the README's public API lines follow it).
const PUBLIC = [
  'ACT_360', 'ACT_365', 'ACT_ACT', 'AMORTIZATIONS', 'AnalysisInputError', 'BASE_SCENARIO', 'BEHAVIOUR_IDS', 'BUCKET_COUNT', 'BUCKET_LABELS',
  'BUCKET_MIDPOINTS', 'BUCKET_UPPER_YEARS', 'DAY_COUNTS', 'DEFAULTS', 'DictionaryBuilder', 'ENGINE_VERSION', 'EVE_OUTLIER_LIMIT',
  'NII_OUTLIER_LIMIT', 'NII_OUTLIER_SCENARIOS', 'NMD_CAPS', 'NMD_CATEGORIES', 'NO_DATE', 'PositionsBuilder', 'RATE_TYPES', 'REGULATORY_SCENARIO_IDS',
  'SHOCK_CURRENCIES', 'SIDES', 'ScenarioDefinitionError', 'SchedulesBuilder', 'THIRTY_360', 'UnknownCurrencyError',
  'UnvaluedPositionError', 'addMonths', 'analyse', 'analysePartial', 'balancedCut', 'isShared', 'mergeAnalyses', 'shareInLocalityOrder', 'bucketFromYears', 'bucketOf', 'buildCurveSet', 'cprMultiplier',
  'curveCurrency', 'customScenario', 'defaultSettings', 'dictionaryValue', 'formatIsoDate', 'forwardRate', 'interpolateLinearFlat', 'fromYmd',
  'isEndOfMonth', 'lowerBound', 'monthlyRate', 'nmdCoreRunoff', 'outlierTests', 'parallelScenarios', 'parseIsoDate',
  'parseShockTable', 'parseTenor', 'paymentMonths', 'rampScenarios', 'regulatoryScenarios', 'resetMonths', 'resolveSettings', 'scenarioById',
  'scenarioCurveSet', 'shockSizes', 'shockedCurve', 'syntheticBalanceSheet', 'syntheticCurveRows', 'tdrrMultiplier', 'toYmd',
  'validateNmdAssumptions', 'yearFraction', 'yearsBetween', 'zeroCurve',
];

describe('engine entry points', () => {
  it('@almready/engine exports exactly the reviewed list', () => {
    expect(Object.keys(engine).sort()).toEqual([...PUBLIC].sort());
  });

  it('keeps the bench and fixture helpers off the public entry, on @almready/engine/testing', () => {
    const internals = ['evePass', 'niiPass', 'FlowGenerator', 'shareColumns', 'positionWork', 'localityOrder', 'handMarket'];
    for (const name of internals) {
      expect(Object.keys(engine)).not.toContain(name);
      expect(typeof (testing as Record<string, unknown>)[name]).not.toBe('undefined');
    }
    expect(Object.keys(testing).filter((name) => name in engine)).toEqual([]);
  });

  it('the public entry runs an analysis on its own (synthetic book, curves, settings)', () => {
    const book = engine.syntheticBalanceSheet({ asOf: '2025-06-30', positions: 300, seed: 7 });
    const built = engine.buildCurveSet(book.curves);
    if (!built.ok) throw new Error('synthetic curves do not build');
    const result = engine.analyse({ positions: book.positions, schedules: book.schedules, curves: built.curves, settings: engine.defaultSettings('2025-06-30') });
    expect(result.engine_version).toBe(engine.ENGINE_VERSION);
    expect(result.scenarios).toEqual(['base', ...engine.REGULATORY_SCENARIO_IDS]);
    expect(Number.isFinite(result.eve.base)).toBe(true);
    expect(result.eve.base).not.toBe(0);
  });
});
