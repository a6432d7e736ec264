/**
 * Contract of grid requests (AG Grid infinite row model + Community filter model) and their
 * answers: the schemas live in @almready/contracts (query.ts), shared with the SPA. Values are
 * only ever bound as SQL parameters (see filter-sql.ts).
 */
export {
  MAX_PAGE_ROWS, MAX_CONDITIONS, MAX_SET_VALUES,
  textFilterSchema, numberFilterSchema, dateFilterSchema, setFilterSchema, columnFilterSchema, filterModelSchema, sortModelSchema,
  exportRequestSchema, pageRequestSchema,
  type ColumnFilter, type FilterModel, type SortModel, type ExportRequest, type PageRequest, type ColumnInfo, type PageResult,
} from '@almready/contracts';
