export * from './format.ts';
export * from './migrations.ts';
