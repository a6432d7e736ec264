export { AlmHostError, HOST_OPS, hostCallSchemas } from './alm-host.ts';
export type { AlmHost, CurvePoint, DatasetInfo, HostOp, RunSettings, SampledScenario, ShockGrid, ShockSizesDecimal } from './alm-host.ts';
export { isTableRef } from './cell-result.ts';
export type { CellError, CellErrorKind, CellResult, CellTiming, CellValue, ConsoleLine, Display, TableRef } from './cell-result.ts';
export { TsSandbox, type CellRun } from './sandbox.ts';
export { engineShockTimes, sampledShock } from './scenario-grid.ts';
export { transpileCell } from './transpile.ts';
