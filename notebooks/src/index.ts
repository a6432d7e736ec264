export * from './format/schema.ts';
export * from './format/document.ts';
export * from './format/migrations.ts';
export * from './assert-never.ts';
export * from './specs/view-spec.ts';
export * from './specs/input-spec.ts';
export * from './specs/cell-spec.ts';
