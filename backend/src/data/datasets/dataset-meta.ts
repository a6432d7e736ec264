/** `DatasetMeta`: what manifest.json holds and the API returns; the schema is the contract's (@almready/contracts datasets.ts). */
export { datasetMetaSchema as DatasetMetaSchema, type DatasetMeta } from '@almready/contracts';

export const DATASET_FILES = ['positions.parquet', 'curves.parquet', 'schedules.parquet'] as const;
