export * from './columns.ts';
export * from './import-error.ts';
export * from './mapping.ts';
export * from './sql-parse.ts';
export * from './row-rule.ts';
export * from './position-rules.ts';
export * from './schedule-rules.ts';
