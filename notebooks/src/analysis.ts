/**
 * Cell analysis entry point. Kept apart from `index.ts` because the TypeScript compiler it loads
 * is large: the server imports `@almready/notebooks/analysis`, the browser only the format.
 */
export * from './cells/ts-analysis.ts';
export * from './cells/analyse-cell.ts';
