/** @almready/contracts: one zod schema per API body and answer; types are `z.infer` of them (README.md). */
export * from './error.ts';
export * from './users.ts';
export * from './workspaces.ts';
export * from './datasets.ts';
export * from './query.ts';
export * from './scenarios.ts';
export * from './runs.ts';
export * from './notebooks.ts';
export * from './check.ts';
export * from './notebook-exec.ts';
export * from './notebook-publish.ts';
