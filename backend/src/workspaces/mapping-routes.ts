/**
 * Saved column mappings: a bank's export keeps its column names from month to month, so the
 * mapping `{canonical column: source column}` is saved once per workspace under a name and reused
 * by uploads (`mapping_name` field). Explore members read them; edit members save and delete.
 */
import type { Context } from 'koa';
import { z } from 'zod';
import { RouteTable, workspaceRole } from '../http/route-table.ts';
import { POSITION_COLUMN_NAMES } from '../data/schema/columns.ts';
import { apiError, notFound } from './api-error.ts';
import type { WorkspaceDeps } from './deps.ts';
import { access } from './permissions.ts';
import { touchWorkspace } from './repository.ts';

export type { SavedMapping } from '@almready/contracts';
import type { SavedMapping } from '@almready/contracts';

const MAPPING_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,79}$/;

const mappingBody = z.strictObject({
  mapping: z
    .record(z.string(), z.string().min(1, 'a source column name cannot be empty').max(200))
    .refine((m) => Object.keys(m).length > 0, 'a mapping needs at least one column')
    .superRefine((m, ctx) => {
      for (const key of Object.keys(m)) {
        if (!POSITION_COLUMN_NAMES.includes(key)) ctx.addIssue({ code: 'custom', message: `"${key}" is not a canonical column (${POSITION_COLUMN_NAMES.join(', ')})` });
      }
    }),
});

function mappingName(ctx: Context): string {
  const name = String((ctx.params as Record<string, string | undefined>).name ?? '');
  if (!MAPPING_NAME.test(name)) throw apiError(422, 'validation_failed', 'A mapping name is 1 to 80 letters, digits, spaces, "_", "." or "-", starting with a letter or digit.');
  return name;
}

interface MappingRow { name: string; mapping_json: string; updated_by: string; updated_at: string }

const toSaved = (row: MappingRow): SavedMapping => ({ name: row.name, mapping: JSON.parse(row.mapping_json) as Record<string, string>, updatedBy: row.updated_by, updatedAt: row.updated_at });

/** The saved mapping of that name, or a 422 naming what exists (used by uploads). */
export function savedMapping(deps: WorkspaceDeps, workspaceId: string, name: string): Record<string, string> {
  const row = deps.db.prepare('SELECT name, mapping_json, updated_by, updated_at FROM column_mappings WHERE workspace_id = ? AND name = ?').get(workspaceId, name) as MappingRow | undefined;
  if (!row) {
    const names = (deps.db.prepare('SELECT name FROM column_mappings WHERE workspace_id = ? ORDER BY name').all(workspaceId) as { name: string }[]).map((r) => r.name);
    throw apiError(422, 'validation_failed', `No saved mapping named "${name}" in this workspace (saved: ${names.length > 0 ? names.join(', ') : 'none'}).`);
  }
  return toSaved(row).mapping;
}

export function mappingRoutes(deps: WorkspaceDeps): RouteTable {
  const routes = new RouteTable();

  routes.get('/:wid/mappings', { access: workspaceRole('explore') }, (ctx) => {
    const rows = deps.db.prepare('SELECT name, mapping_json, updated_by, updated_at FROM column_mappings WHERE workspace_id = ? ORDER BY name').all(access(ctx).row.id) as MappingRow[];
    ctx.body = { mappings: rows.map(toSaved) };
  });

  routes.put('/:wid/mappings/:name', { access: workspaceRole('edit'), schema: mappingBody }, async (ctx) => {
    const { row, user } = access(ctx);
    const name = mappingName(ctx);
    const body = ctx.request.body;
    const now = new Date().toISOString();
    deps.db
      .prepare(`INSERT INTO column_mappings (workspace_id, name, mapping_json, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (workspace_id, name) DO UPDATE SET mapping_json = excluded.mapping_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
      .run(row.id, name, JSON.stringify(body.mapping), user.id, now);
    touchWorkspace(deps.db, row.id, now);
    deps.audit.record({ action: 'mapping.save', userId: user.id, workspaceId: row.id, detail: { name }, ip: ctx.ip });
    ctx.body = { mapping: { name, mapping: body.mapping, updatedBy: user.id, updatedAt: now } satisfies SavedMapping };
  });

  routes.delete('/:wid/mappings/:name', { access: workspaceRole('edit') }, (ctx) => {
    const { row, user } = access(ctx);
    const name = mappingName(ctx);
    const removed = deps.db.prepare('DELETE FROM column_mappings WHERE workspace_id = ? AND name = ?').run(row.id, name);
    if (removed.changes === 0) throw notFound('Mapping');
    deps.audit.record({ action: 'mapping.delete', userId: user.id, workspaceId: row.id, detail: { name }, ip: ctx.ip });
    ctx.status = 204;
  });

  return routes;
}
