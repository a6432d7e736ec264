/**
 * `@almready/engine/testing`: the engine's internals for the bench and tests, and fixtures — not a
 * stable API (the public one is src/index.ts). The single passes and their inputs (timed phase by
 * phase in bench/engine.ts), the locality order, columns on SharedArrayBuffer and cuts of equal
 * work (bench/engine-split.ts; analysePartial, mergeAnalyses, balancedCut and shareInLocalityOrder
 * are public since the server splits runs with them), and the hand-computed market of the engine's
 * own tests.
 */
export { evePass, type EvePassInput, type EveValues, type EveDayFlows } from '../eve/eve-pass.ts';
export { eveSummary } from '../eve/summary.ts';
export { niiPass, type NiiPassInput, type NiiValues } from '../nii/nii-pass.ts';
export { NiiAccumulator, type NiiSettings } from '../nii/nii-accumulator.ts';
export { niiSummary } from '../nii/summary.ts';
export { repricingGap, gapSums, gapRows } from '../gap.ts';
export { attributeDimension, baseDimension, breakdownBy, type Dimension } from '../breakdown.ts';
export { FlowBuffer } from '../cashflows/flow-buffer.ts';
export { FlowGenerator, annuityInstalment, type FlowOptions } from '../cashflows/generate.ts';
export { indexSchedules, type ScheduleIndex } from '../cashflows/schedule-index.ts';
export { ScheduleCache } from '../cashflows/schedule-cache.ts';
export { behaviourRate, flowSpanDays } from '../cashflows/behaviour-rate.ts';
export { nmdPlan, nmdFlows, type NmdPlan } from '../cashflows/nmd-flows.ts';
export { buildScenarioMarkets, scenarioCurve, discountGrid, type ScenarioMarket } from '../cashflows/scenario-market.ts';
export { paymentSchedule, type PaymentSchedule } from '../schedule.ts';
export { localityOrder, reorderPositions, inLocalityOrder } from '../locality.ts';
export {
  sharedCopy, shareColumns, shareSchedules, sharedLike, columnNames, gatherColumns, reorderSchedules,
  type ShareOptions, type ColumnName,
} from '../shared-columns.ts';
export { positionWork, workOfParts, reorderBook } from '../work-split.ts';
export * as handMarket from './hand-market.ts';
