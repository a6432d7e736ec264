/**
 * `/:wid/datasets…`: upload (multipart → temp files in the workspace → importDataset), list,
 * read, delete. The dataset folder is the truth; the `datasets` row mirrors its manifest and is
 * written after the folder exists (recovery drops folders without rows).
 */
import { rmSync } from 'node:fs';
import type { Context } from 'koa';
import { RouteTable, workspaceRole } from '../http/route-table.ts';
import { DatasetMetaSchema, deleteDataset, importDataset, type DatasetMeta, type SourceFile } from '../data/datasets/index.ts';
import { DEFAULT_UPLOAD_IDLE_MS, DEFAULT_UPLOADS_PER_USER } from '../config.ts';
import { savedMapping } from './mapping-routes.ts';
import { apiError, notFound } from './api-error.ts';
import type { WorkspaceDeps } from './deps.ts';
import { access, uuidParam } from './permissions.ts';
import { touchWorkspace } from './repository.ts';
import { receiveUpload, type UploadedFile } from './upload.ts';
import { join } from 'node:path';

/** The upload's sniffed type goes along with the file, so the importer reads it as that. */
function sourceFile(file: UploadedFile): SourceFile {
  if (file.type === 'unknown') throw new Error(`upload ${file.field} reached the importer without a known type`);
  return { path: file.path, originalName: file.name, format: file.type };
}

export function insertDatasetRow(deps: WorkspaceDeps, meta: DatasetMeta): void {
  deps.db.prepare('INSERT INTO datasets (id, workspace_id, name, as_of, created_by, created_at, meta_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(meta.id, meta.workspaceId, meta.name, meta.asOf, meta.createdBy, meta.createdAt, JSON.stringify(meta));
}

/** The row mirrors manifest.json; it is read through the manifest's schema like the file. */
function parseDatasetMeta(json: string): DatasetMeta {
  return DatasetMetaSchema.parse(JSON.parse(json));
}

function listRows(deps: WorkspaceDeps, workspaceId: string): DatasetMeta[] {
  const rows = deps.db.prepare('SELECT meta_json FROM datasets WHERE workspace_id = ? ORDER BY created_at DESC, id').all(workspaceId) as { meta_json: string }[];
  return rows.map((r) => parseDatasetMeta(r.meta_json));
}

function loadRow(deps: WorkspaceDeps, ctx: Context): DatasetMeta {
  const did = uuidParam(ctx, 'did', 'Dataset');
  const row = deps.db.prepare('SELECT meta_json FROM datasets WHERE id = ? AND workspace_id = ?').get(did, access(ctx).row.id) as { meta_json: string } | undefined;
  if (!row) throw notFound('Dataset');
  return parseDatasetMeta(row.meta_json);
}

function parseMapping(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw apiError(422, 'validation_failed', 'mapping must be JSON like {"notional": "Outstanding"}.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw apiError(422, 'validation_failed', 'mapping must be a JSON object of canonical column → source column names.');
  }
  return value as Record<string, string>;
}

/** The explicit mapping of an upload: inline JSON (`mapping`) or a saved one (`mapping_name`), not both. */
function uploadMapping(deps: WorkspaceDeps, workspaceId: string, fields: Record<string, string | undefined>): { mapping?: Record<string, string> } {
  const inline = parseMapping(fields.mapping);
  const name = fields.mapping_name?.trim();
  if (inline && name) throw apiError(422, 'validation_failed', 'Give either mapping (JSON) or mapping_name (a saved mapping), not both.');
  if (name) return { mapping: savedMapping(deps, workspaceId, name) };
  return inline ? { mapping: inline } : {};
}

export function datasetRoutes(deps: WorkspaceDeps): RouteTable {
  const routes = new RouteTable();

  routes.get('/:wid/datasets', { access: workspaceRole('explore') }, (ctx) => {
    ctx.body = { datasets: listRows(deps, access(ctx).row.id) };
  });

  routes.get('/:wid/datasets/:did', { access: workspaceRole('explore') }, (ctx) => {
    ctx.body = { dataset: loadRow(deps, ctx) };
  });

  // Uploads in flight per user (receiving and importing): each holds a temp folder and a parse.
  const inFlight = new Map<string, number>();
  const perUser = deps.config.uploadsPerUser ?? DEFAULT_UPLOADS_PER_USER;

  routes.post('/:wid/datasets', { access: workspaceRole('edit'), body: 'multipart' }, async (ctx) => {
    const { user } = access(ctx);
    const running = inFlight.get(user.id) ?? 0;
    if (running >= perUser) {
      ctx.set('Connection', 'close');
      throw apiError(429, 'too_many_uploads', `You already have ${running} upload${running === 1 ? '' : 's'} in progress, the most one user may have at once (ALMREADY_UPLOADS_PER_USER); wait for one to finish.`);
    }
    inFlight.set(user.id, running + 1);
    try {
      await receiveAndImport(ctx);
    } finally {
      const left = (inFlight.get(user.id) ?? 1) - 1;
      if (left > 0) inFlight.set(user.id, left);
      else inFlight.delete(user.id);
    }
  });

  const receiveAndImport = async (ctx: Context) => {
    const { row, dir, user } = access(ctx);
    // Whole bytes: busboy only notices the limit when the count equals it exactly.
    const maxBytes = Math.max(1, Math.floor(Number(deps.config.maxUploadMb ?? 512) * 1024 * 1024));
    const upload = await receiveUpload(ctx, join(dir, 'datasets'), { maxBytes, idleMs: deps.config.uploadIdleMs ?? DEFAULT_UPLOAD_IDLE_MS });
    try {
      const byField = new Map(upload.files.map((f) => [f.field, f]));
      const positions = byField.get('positions');
      if (!positions) throw apiError(422, 'validation_failed', 'Add a positions file (CSV, XLSX, Parquet or the bank ZIP export) in the "positions" field.');
      const skip = upload.fields.skip_invalid;
      if (skip !== undefined && skip !== 'true' && skip !== 'false') throw apiError(422, 'validation_failed', 'skip_invalid must be "true" or "false".');
      const curves = byField.get('curves');
      const schedules = byField.get('schedules');
      const result = await importDataset({
        workspaceDir: dir,
        workspaceId: row.id,
        name: (upload.fields.name ?? '').trim() || positions.name,
        ...(upload.fields.as_of ? { asOf: upload.fields.as_of.trim() } : {}),
        createdBy: user.id,
        sources: {
          ...(positions.type === 'zip' ? { bankZip: sourceFile(positions) } : { positions: sourceFile(positions) }),
          ...(curves ? { curves: sourceFile(curves) } : {}),
          ...(schedules ? { schedules: sourceFile(schedules) } : {}),
        },
        ...uploadMapping(deps, row.id, upload.fields),
        skipInvalid: skip === 'true',
        ...(deps.config.zipLimits ? { zipLimits: deps.config.zipLimits } : {}),
      });
      if (!result.ok) {
        const first = result.errors[0];
        const where = first ? `${first.file || 'upload'}${first.row ? ` row ${first.row}` : ''}${first.column ? `, ${first.column}` : ''}: ${first.reason}` : '';
        throw apiError(422, 'validation_failed', `The dataset was not imported: ${result.total} problem${result.total === 1 ? '' : 's'} found${where ? ` (first: ${where})` : ''}.`, {
          errors: result.errors,
          total: result.total,
        });
      }
      insertDatasetRow(deps, result.dataset);
      touchWorkspace(deps.db, row.id);
      deps.audit.record({ action: 'dataset.upload', userId: user.id, workspaceId: row.id, detail: { datasetId: result.dataset.id, name: result.dataset.name, rows: result.dataset.rows }, ip: ctx.ip });
      ctx.status = 201;
      ctx.body = { dataset: result.dataset };
    } finally {
      rmSync(upload.dir, { recursive: true, force: true });
    }
  };

  routes.delete('/:wid/datasets/:did', { access: workspaceRole('edit') }, async (ctx) => {
    const { row, dir, user } = access(ctx);
    const meta = loadRow(deps, ctx);
    deps.db.prepare('DELETE FROM datasets WHERE id = ? AND workspace_id = ?').run(meta.id, row.id);
    await deps.queries?.close(dir);
    await deleteDataset(dir, meta.id);
    deps.runs?.forgetDataset?.(join(dir, 'datasets', meta.id));
    touchWorkspace(deps.db, row.id);
    deps.audit.record({ action: 'dataset.delete', userId: user.id, workspaceId: row.id, detail: { datasetId: meta.id, name: meta.name }, ip: ctx.ip });
    ctx.status = 204;
  });

  return routes;
}
