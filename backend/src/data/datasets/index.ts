export * from './dataset-meta.ts';
export * from './import-dataset.ts';
export * from './import-options.ts';
export * from './load-dataset.ts';
export * from './dataset-store.ts';
export * from './read-sources.ts';
export * from './engine-columns.ts';
