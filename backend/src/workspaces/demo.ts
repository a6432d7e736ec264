/**
 * The "Demo bank" workspace, created once for the first admin: ~50,000 synthetic positions
 * (EUR and USD) with curves and schedules, imported through the normal importer, plus the four
 * shipped notebooks (notebooks/examples), published. Idempotent: an admin who already owns
 * "Demo bank" is left alone. `runDemoNotebooks` then runs those notebooks once, in the background
 * after the server listens, so a manager opening them sees their outputs at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticBalanceSheet } from '@almready/engine';
import { importDataset } from '../data/datasets/index.ts';
import { notebookExamples } from '../notebook-examples/catalog.ts';
import { publishVersion } from '../notebook-exec/publish.ts';
import { notebookExecFor } from '../notebook-exec/registry.ts';
import { createNotebook, listNotebookRows, publishNotebook } from '../notebook-store/store.ts';
import { insertDatasetRow } from './dataset-routes.ts';
import type { WorkspaceDeps } from './deps.ts';
import { deleteWorkspace, createWorkspace } from './workspace-routes.ts';
import { workspaceDir } from './paths.ts';
import { writeSyntheticCsv } from './synthetic-csv.ts';

export const DEMO_NAME = 'Demo bank';
export const DEMO_POSITIONS = 50_000;
export const DEMO_AS_OF = '2025-06-30';

export async function ensureDemoWorkspace(deps: WorkspaceDeps, admin: { id: string; username: string }): Promise<{ workspaceId: string; created: boolean }> {
  const existing = deps.db.prepare('SELECT id FROM workspaces WHERE owner_id = ? AND name = ?').get(admin.id, DEMO_NAME) as { id: string } | undefined;
  if (existing) return { workspaceId: existing.id, created: false };
  const workspace = createWorkspace(deps, admin, { name: DEMO_NAME, description: `Synthetic balance sheet of ${DEMO_POSITIONS.toLocaleString('en')} positions (EUR, USD) as of ${DEMO_AS_OF}, with the shipped notebooks: IRRBB report, balance explorer, custom scenario, repricing gap.` });
  const dir = workspaceDir(deps.config.dataDir, admin.id, workspace.id);
  const scratch = mkdtempSync(join(dir, 'datasets', '.upload-'));
  try {
    const files = await writeSyntheticCsv(scratch, syntheticBalanceSheet({ positions: DEMO_POSITIONS, asOf: DEMO_AS_OF, seed: 42 }));
    const result = await importDataset({
      workspaceDir: dir,
      workspaceId: workspace.id,
      name: 'Synthetic balance sheet',
      asOf: DEMO_AS_OF,
      createdBy: admin.id,
      sources: {
        positions: { path: files.positions, originalName: 'positions.csv' },
        curves: { path: files.curves, originalName: 'curves.csv' },
        schedules: { path: files.schedules, originalName: 'schedules.csv' },
      },
    });
    if (!result.ok) throw new Error(`demo dataset import failed: ${result.errors.slice(0, 3).map((e) => `${e.file} row ${e.row} ${e.column}: ${e.reason}`).join('; ')}`);
    insertDatasetRow(deps, result.dataset);
    for (const example of notebookExamples()) {
      const notebook = createNotebook(deps.db, workspace.id, dir, { name: example.name, content: structuredClone(example.document), userId: admin.id });
      publishNotebook(deps.db, notebook, admin.id);
    }
  } catch (error) {
    // All or nothing: a half-built demo would be skipped forever by the idempotence check.
    await deleteWorkspace(deps, workspace.id, admin.id);
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  deps.audit.record({ action: 'workspace.demo', userId: admin.id, workspaceId: workspace.id, detail: { positions: DEMO_POSITIONS } });
  return { workspaceId: workspace.id, created: true };
}

export interface DemoRun {
  notebook: string;
  executionId: string;
  status: string;
}

/**
 * Runs and publishes every notebook of the demo workspace once, one after the other (the report last), on its
 * dataset, as its owner (the executions and their outputs are the normal ones: logged, audited, stored by content
 * key). A notebook that fails is logged and the next one still runs; `signal` stops before the next.
 */
export async function runDemoNotebooks(deps: WorkspaceDeps, demo: { workspaceId: string; ownerId: string }, signal?: AbortSignal): Promise<DemoRun[]> {
  const exec = notebookExecFor(deps);
  const dir = workspaceDir(deps.config.dataDir, demo.ownerId, demo.workspaceId);
  const dataset = deps.db.prepare('SELECT id FROM datasets WHERE workspace_id = ? ORDER BY created_at DESC, id LIMIT 1').get(demo.workspaceId) as { id: string } | undefined;
  // the report last: its run (the six supervisory shocks and ±200 bp) is then the dataset's latest
  const order = notebookExamples().map((e) => e.name).reverse();
  const rows = listNotebookRows(deps.db, demo.workspaceId).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const done: DemoRun[] = [];
  for (const row of rows) {
    if (signal?.aborted) break;
    const version = row.published_version ?? row.version;
    try {
      // Published through the publishing path: the run, then the frozen publication a manager's report reads.
      const publication = await publishVersion(deps, { workspace: { id: demo.workspaceId, dir }, user: { id: demo.ownerId }, row, version, datasetId: dataset?.id ?? null });
      const executionId = publication.executionId;
      deps.audit.record({ action: 'notebook.publish', userId: demo.ownerId, workspaceId: demo.workspaceId, detail: { notebookId: row.id, version, executionId, publicationId: publication.id, demo: true } });
      const status = exec.log(demo.workspaceId).get(executionId)?.status ?? 'unknown';
      done.push({ notebook: row.name, executionId, status });
    } catch (error) {
      deps.logger.error({ err: error, notebook: row.name }, 'demo notebook could not run');
    }
  }
  return done;
}
