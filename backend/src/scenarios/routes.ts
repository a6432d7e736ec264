/** `/:wid/scenarios/preview`: the scenario editor's base and shocked curves (preview.ts). */
import { scenarioPreviewBodySchema } from '@almready/contracts';
import { RouteTable, workspaceRole } from '../http/route-table.ts';
import { apiError, notFound } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { access } from '../workspaces/permissions.ts';
import { datasetCurveRows } from './dataset-curves.ts';
import { previewScenario } from './preview.ts';

export function scenarioRoutes(deps: WorkspaceDeps): RouteTable {
  const routes = new RouteTable();
  const datasetLookup = deps.db.prepare('SELECT id FROM datasets WHERE id = ? AND workspace_id = ?');

  // explore: the members who may run calculations may see what a scenario does to the curves
  routes.post('/:wid/scenarios/preview', { access: workspaceRole('explore'), schema: scenarioPreviewBodySchema }, async (ctx) => {
    const { row: ws, dir } = access(ctx);
    const body = ctx.request.body;
    if (!datasetLookup.get(body.datasetId, ws.id)) throw notFound('Dataset');
    const result = previewScenario(await datasetCurveRows(dir, body.datasetId), body);
    if (!result.ok) {
      throw apiError(422, 'validation_failed', `Invalid request: ${result.field}: ${result.reason}.`, { issues: [{ path: result.field, message: result.reason }] });
    }
    ctx.body = { preview: { datasetId: body.datasetId, ...result.preview } };
  });

  return routes;
}
