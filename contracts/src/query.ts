/**
 * Grid and SQL requests and their answers (AG Grid infinite row model + Community filter model).
 * Values are only ever bound as SQL parameters by the query layer.
 */
import { z } from 'zod';

export const MAX_PAGE_ROWS = 10_000;
/** A combined filter or a set filter beyond these sizes is not something a grid sends. */
export const MAX_CONDITIONS = 20;
export const MAX_SET_VALUES = 10_000;

const textType = z.enum(['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith', 'blank', 'notBlank']);
const numberType = z.enum(['equals', 'notEqual', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual', 'inRange', 'blank', 'notBlank']);
const dateType = z.enum(['equals', 'notEqual', 'lessThan', 'greaterThan', 'inRange', 'blank', 'notBlank']);

const textCondition = z.object({
  filterType: z.literal('text').optional(),
  type: textType,
  filter: z.union([z.string(), z.number()]).nullish(),
});
const numberCondition = z.object({
  filterType: z.literal('number').optional(),
  type: numberType,
  filter: z.number().finite().nullish(),
  filterTo: z.number().finite().nullish(),
});
const dateCondition = z.object({
  filterType: z.literal('date').optional(),
  type: dateType,
  // AG Grid sends 'yyyy-mm-dd hh:mm:ss'; only the date part matters for DATE columns.
  dateFrom: z.string().nullish(),
  dateTo: z.string().nullish(),
});

// A column filter is one condition, or several joined by AND/OR. Older AG Grid versions sent
// two named conditions (condition1/condition2) instead of the list.
function combinedOf<K extends string, C extends z.ZodType>(kind: K, condition: C) {
  return z.object({
    filterType: z.literal(kind),
    operator: z.enum(['AND', 'OR']),
    conditions: z.array(condition).min(1).max(MAX_CONDITIONS).optional(),
    condition1: condition.optional(),
    condition2: condition.optional(),
  });
}

export const textFilterSchema = z.union([combinedOf('text', textCondition), textCondition.extend({ filterType: z.literal('text') })]);
export const numberFilterSchema = z.union([combinedOf('number', numberCondition), numberCondition.extend({ filterType: z.literal('number') })]);
export const dateFilterSchema = z.union([combinedOf('date', dateCondition), dateCondition.extend({ filterType: z.literal('date') })]);
export const setFilterSchema = z.object({
  filterType: z.literal('set'),
  values: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).max(MAX_SET_VALUES),
});

export const columnFilterSchema = z.union([textFilterSchema, numberFilterSchema, dateFilterSchema, setFilterSchema]);
export const filterModelSchema = z.record(z.string(), columnFilterSchema);

export const sortModelSchema = z.array(z.object({ colId: z.string(), sort: z.enum(['asc', 'desc']) })).max(20);

const tableName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'table must be positions, curves, schedules or a registered result table');

export const exportRequestSchema = z.object({
  table: tableName,
  sortModel: sortModelSchema.nullish(),
  filterModel: filterModelSchema.nullish(),
  groupBy: z.array(z.string()).max(10).nullish(),
});

export const pageRequestSchema = exportRequestSchema.extend({
  startRow: z.number().int().nonnegative(),
  endRow: z.number().int().nonnegative(),
}).refine((r) => r.endRow >= r.startRow, { message: 'endRow must not be below startRow', path: ['endRow'] })
  .refine((r) => r.endRow - r.startRow <= MAX_PAGE_ROWS, { message: `a page holds at most ${MAX_PAGE_ROWS} rows`, path: ['endRow'] });

export type ColumnFilter = z.infer<typeof columnFilterSchema>;
export type FilterModel = z.infer<typeof filterModelSchema>;
export type SortModel = z.infer<typeof sortModelSchema>;
export type ExportRequest = z.infer<typeof exportRequestSchema>;
export type PageRequest = z.infer<typeof pageRequestSchema>;
/** What a client sends (before defaults). */
export type PageRequestBody = z.input<typeof pageRequestSchema>;

export const columnInfoSchema = z.object({ name: z.string(), type: z.string() });
export type ColumnInfo = z.infer<typeof columnInfoSchema>;

/** `POST /api/workspaces/:wid/datasets/:did/query`: one page of rows and the filtered total. */
export const pageResultSchema = z.object({ columns: z.array(columnInfoSchema), rows: z.array(z.record(z.string(), z.unknown())), rowCount: z.number().int().nonnegative() });
export type PageResult = z.infer<typeof pageResultSchema>;

/** `POST /api/workspaces/:wid/sql` */
export const sqlBodySchema = z.strictObject({
  datasetId: z.uuid({ message: 'datasetId must be the id of a dataset of this workspace' }),
  sql: z.string().min(1, 'sql must not be empty').max(100_000, 'sql is at most 100,000 characters'),
  maxRows: z.number().int().positive().optional(),
});
export type SqlBody = z.infer<typeof sqlBodySchema>;
export const sqlResultSchema = z.object({ columns: z.array(columnInfoSchema), rows: z.array(z.record(z.string(), z.unknown())), truncated: z.boolean() });
export type SqlResult = z.infer<typeof sqlResultSchema>;
