/**
 * The bridge between AG Grid's infinite row model and `POST /:wid/datasets/:did/query`: the grid
 * asks for a block of rows with its sort and filter models, the server pages through Parquet.
 */
import type { IDatasource, IGetRowsParams } from 'ag-grid-community';
import type { PageRequestBody } from '@almready/contracts';
import type { ApiResult } from '../api/http.ts';
import type { QueryResult } from '../api/types.ts';

export type DatasetTable = 'positions' | 'curves' | 'schedules';

/** The page request of the contract, for one of the dataset's tables. */
export type QueryBody = PageRequestBody & { table: DatasetTable };

export function queryBody(table: DatasetTable, params: Pick<IGetRowsParams, 'startRow' | 'endRow' | 'sortModel' | 'filterModel'>, groupBy: string[]): QueryBody {
  const body: QueryBody = { table, startRow: params.startRow, endRow: params.endRow };
  if (params.sortModel.length > 0) body.sortModel = params.sortModel.map((s) => ({ colId: s.colId, sort: s.sort }));
  if (params.filterModel && Object.keys(params.filterModel).length > 0) body.filterModel = params.filterModel as QueryBody['filterModel']; // AG Grid's own model: the server checks it
  if (groupBy.length > 0) body.groupBy = groupBy;
  return body;
}

export interface DatasourceEvents {
  onRows: (rowCount: number, body: QueryBody) => void;
  onError: (message: string) => void;
}

export function queryDatasource(
  post: (body: QueryBody) => Promise<ApiResult<QueryResult>>,
  table: DatasetTable,
  groupBy: string[],
  events: DatasourceEvents,
): IDatasource {
  return {
    getRows(params) {
      const body = queryBody(table, params, groupBy);
      void post(body).then((result) => {
        if (!result.ok) {
          events.onError(result.error.message);
          params.failCallback();
          return;
        }
        params.successCallback(result.value.rows, result.value.rowCount);
        events.onRows(result.value.rowCount, body);
      });
    },
  };
}

/** The columns of a grouped answer, in the order the server computes them. */
export const GROUP_MEASURES = ['count', 'sum_notional', 'wavg_rate', 'wavg_maturity_years'] as const;
