/**
 * @almready/engine public API: pure IRRBB calculations over columnar positions (README.md).
 * An explicit list, reviewed: what the backend, the notebooks and a quant scripting the engine use.
 * The passes, kernels, column sharing, work split and test fixtures are internals, reached by the
 * bench and tests through `@almready/engine/testing` (src/testing/index.ts), not a stable API.
 */

// running an analysis
export { analyse, ENGINE_VERSION, type AnalysisInput, type AnalysisResult } from './analyse.ts';
export {
  AnalysisInputError, DEFAULTS, defaultSettings, resolveSettings, paymentMonths, resetMonths,
  type AnalysisSettings, type ResolvedSettings,
} from './settings.ts';
export { UnvaluedPositionError } from './invariants.ts';

// results
export type { EveSummary, ScenarioValue } from './eve/summary.ts';
export type { NiiSummary } from './nii/summary.ts';
export type { CurrencyGapRow, GapRow } from './gap.ts';
export type { BreakdownRow } from './breakdown.ts';
export { outlierTests, EVE_OUTLIER_LIMIT, NII_OUTLIER_LIMIT, NII_OUTLIER_SCENARIOS, type OutlierTest, type OutlierTests } from './eve/outlier-tests.ts';
export { BUCKET_COUNT, BUCKET_LABELS, BUCKET_MIDPOINTS, BUCKET_UPPER_YEARS, bucketOf, bucketFromYears } from './buckets.ts';

// positions: columns, enums, builders
export {
  NO_DATE, AMORTIZATIONS, RATE_TYPES, DAY_COUNTS, NMD_CATEGORIES, SIDES,
  type Amortization, type RateType, type DayCount, type NmdCategory, type Side,
  type DictionaryColumn, type PositionColumns, type ScheduleColumns, type PositionRecord,
} from './positions.ts';
export { DictionaryBuilder, dictionaryValue } from './dictionary.ts';
export { PositionsBuilder, SchedulesBuilder } from './position-builder.ts';
export { syntheticBalanceSheet, syntheticCurveRows, type SyntheticOptions } from './synthetic.ts';

// dates, day counts, tenors
export { parseIsoDate, formatIsoDate, addMonths, fromYmd, toYmd, isEndOfMonth, yearsBetween } from './dates.ts';
export { ACT_360, ACT_365, THIRTY_360, ACT_ACT, yearFraction } from './daycount.ts';
export { parseTenor, type TenorResult } from './tenor.ts';

// curves
export { zeroCurve, forwardRate, interpolateLinearFlat, type ZeroCurve } from './curve.ts';
export { buildCurveSet, curveCurrency, type CurveRow, type CurveSet, type CurveSetResult, type RowError } from './curve-set.ts';

// scenarios, shocks, post-shock lower bound
export {
  BASE_SCENARIO, REGULATORY_SCENARIO_IDS, regulatoryScenarios, parallelScenarios, rampScenarios, customScenario, parseShockTable,
  scenarioById, scenarioCurveSet, ScenarioDefinitionError, UnknownCurrencyError,
  type RegulatoryScenarioId, type Scenario, type ShockFunction,
} from './scenarios.ts';
export { shockSizes, SHOCK_CURRENCIES, type ShockSizes } from './shock-sizes.ts';
export { lowerBound, shockedCurve, type FloorMode } from './lower-bound.ts';

// behaviour (§5)
export {
  NMD_CAPS, validateNmdAssumptions, nmdCoreRunoff, cprMultiplier, tdrrMultiplier, monthlyRate,
  type NmdAssumption, type NmdRunoff, type NmdRunoffProfile,
} from './behaviour.ts';
