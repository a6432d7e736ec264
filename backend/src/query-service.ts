/**
 * The server's one WorkspaceQueryService (DuckDB over the workspaces' Parquet files). Until the
 * query layer is present, a stand-in answers 503 so the rest of the API still works.
 */
import type pino from 'pino';
import type { WorkspaceQueryService } from './data/query/index.ts';
import { httpError } from './middleware/errors.ts';
import { optionalModule } from './optional-module.ts';

export async function createQueryService(logger: pino.Logger): Promise<WorkspaceQueryService> {
  const module = await optionalModule<{ WorkspaceQueryService: new (options: object) => WorkspaceQueryService }>('./data/query/index.ts');
  if (module) return new module.WorkspaceQueryService({});
  logger.warn('data/query is not present: dataset queries answer 503');
  const unavailable = async () => {
    throw httpError(503, 'unavailable', 'Dataset queries are not available in this build of the server.');
  };
  const standIn = { page: unavailable, exportCsv: unavailable, runSql: unavailable, close: async () => {}, closeAll: async () => {} };
  return standIn as unknown as WorkspaceQueryService;
}
