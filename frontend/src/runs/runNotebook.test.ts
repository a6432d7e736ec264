import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartSpecSchema, parseNotebook } from '@almready/notebooks';
import { analyseNotebook } from '@almready/notebooks/analysis';
import { openDuckDb, type DuckDb } from '../../../backend/src/data/duckdb.ts';
import { sqlReferencePort } from '../../../backend/src/notebook-exec/sql-references.ts';
import type { Run } from '../api/types.ts';
import { runNotebookDocument, runNotebookName, runTableName } from './runNotebook.ts';

const run = {
  id: '3F2A9C1D-0000-4000-8000-000000000000'.toLowerCase(),
  workspaceId: 'w', status: 'done', progress: 1, phase: 'done', datasetId: 'd', createdBy: 'u', createdByName: 'anna',
  createdAt: '2026-12-04T10:00:00.000Z', startedAt: null, finishedAt: '2026-12-04T10:01:00.000Z',
  settings: { method: 'full', floor: true, scenarios: ['base', 'parallel_up'], tier1: null, niiHorizonMonths: 12 },
} as unknown as Run;

// DuckDB's own parser finds the SQL cells' tables, as on the server
let duck: DuckDb;
beforeAll(async () => {
  duck = await openDuckDb(':memory:');
});
afterAll(() => duck?.close());

describe('a notebook from a run', () => {
  it('is a valid notebook whose SQL cells read the run\'s tables and whose charts read those cells', async () => {
    const doc = runNotebookDocument(run);
    const parsed = parseNotebook(doc);
    expect(parsed.ok).toBe(true);
    expect(doc.cells.map((c) => [c.kind, c.name ?? null])).toEqual([['markdown', null], ['sql', 'eve'], ['sql', 'nii'], ['sql', 'gap'], ['chart', null], ['chart', null]]);
    expect(doc.cells[1]!.source).toBe('SELECT scenario, eve, delta_eve, loss\nFROM run_3f2a9c1d_eve\nORDER BY delta_eve');
    expect(doc.cells[2]!.source).toContain('FROM run_3f2a9c1d_nii');
    const eveChart = chartSpecSchema.parse(JSON.parse(doc.cells[4]!.source));
    expect(eveChart).toMatchObject({ data: 'eve', type: 'bar', x: 'scenario', y: 'delta_eve' });
    // the notebook's own analysis: the SQL cells read the run tables, the charts read the cells
    const analysis = await analyseNotebook(doc, sqlReferencePort(duck));
    expect([...analysis.problems]).toEqual([]);
    expect(analysis.cells.get('eve')!.uses).toEqual(['run_3f2a9c1d_eve']);
    expect(analysis.cells.get('gap')!.uses).toEqual(['run_3f2a9c1d_gap']);
    expect([...analysis.graph.ancestors('eve_chart')]).toEqual(['eve']);
    expect([...analysis.graph.ancestors('nii_chart')]).toEqual(['nii']);
    expect(runNotebookName(run)).toBe('Run 3f2a9c1d (2026-12-04)');
    expect(runTableName(run.id, 'nii_profile')).toBe('run_3f2a9c1d_nii_profile');
  });
});
