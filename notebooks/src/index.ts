export * from './format/schema.ts';
export * from './format/document.ts';
export * from './format/migrations.ts';
