export { WorkspaceQueryService, DEFAULT_MAX_SQL_ROWS, MAX_SQL_ROWS } from './workspace-query-service.ts';
export type { WorkspaceQueryServiceOptions, SqlResult, CsvSink } from './workspace-query-service.ts';
export { QueryError } from './query-error.ts';
export type { QueryErrorCode } from './query-error.ts';
export { pageRequestSchema, exportRequestSchema, filterModelSchema, sortModelSchema, MAX_PAGE_ROWS } from './page-request.ts';
export type { PageRequest, ExportRequest, PageResult, ColumnInfo, FilterModel, SortModel, ColumnFilter } from './page-request.ts';
export { GROUP_AGGREGATES } from './page-sql.ts';
