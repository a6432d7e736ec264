/**
 * The "Demo bank" workspace, created once for the first admin: ~50,000 synthetic positions
 * (EUR and USD) with curves and schedules, imported through the normal importer, plus the
 * sample IRRBB notebook. Idempotent: an admin who already owns "Demo bank" is left alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticBalanceSheet } from '@almready/engine';
import { parseNotebookText } from '@almready/notebooks';
import { importDataset } from '../data/datasets/index.ts';
import { createNotebook, publishNotebook } from '../notebook-store/store.ts';
import { insertDatasetRow } from './dataset-routes.ts';
import type { WorkspaceDeps } from './deps.ts';
import { deleteWorkspace, createWorkspace } from './workspace-routes.ts';
import { workspaceDir } from './paths.ts';
import { writeSyntheticCsv } from './synthetic-csv.ts';
import { repoRoot } from '../runtime-paths.ts';

export const DEMO_NAME = 'Demo bank';
export const DEMO_POSITIONS = 50_000;
export const DEMO_AS_OF = '2025-06-30';

const SAMPLE_NOTEBOOK = new URL('notebooks/src/fixtures/v2-irrbb-report.md', repoRoot);

export async function ensureDemoWorkspace(deps: WorkspaceDeps, admin: { id: string; username: string }): Promise<{ workspaceId: string; created: boolean }> {
  const existing = deps.db.prepare('SELECT id FROM workspaces WHERE owner_id = ? AND name = ?').get(admin.id, DEMO_NAME) as { id: string } | undefined;
  if (existing) return { workspaceId: existing.id, created: false };
  const workspace = createWorkspace(deps, admin, { name: DEMO_NAME, description: `Synthetic balance sheet of ${DEMO_POSITIONS.toLocaleString('en')} positions (EUR, USD) as of ${DEMO_AS_OF}, with a sample IRRBB notebook.` });
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
    const sample = parseNotebookText(readFileSync(SAMPLE_NOTEBOOK, 'utf8'));
    if (!sample.ok) throw new Error(`sample notebook is invalid: ${sample.reason}`);
    const notebook = createNotebook(deps.db, workspace.id, dir, { name: 'IRRBB report', content: sample.document, userId: admin.id });
    publishNotebook(deps.db, notebook, admin.id);
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
