/** The reference engine (README.md here): one position at a time, written as methodology.md reads. */
export { referenceAnalyse, type PositionFigures, type ReferenceInput, type ReferenceResult } from './analyse.ts';
export { projectFlows, paymentDates, annuityInstalment, type Flow, type Segment } from './cashflows.ts';
export { contractOf, type Contract, type ScheduleRow } from './position.ts';
