import { describe, expect, it } from 'vitest';
import type { Run } from '../api/types.ts';
import { sqlTables } from './sqlTables.ts';

const run = (id: string, datasetId: string, finishedAt: string, status: Run['status'] = 'done') => ({ id, datasetId, finishedAt, status }) as Run;

describe('tables of the SQL tab', () => {
  it('result_* names the latest finished run of the selected dataset; every finished run has its run_<id>_* tables', () => {
    const runs = [
      run('aaaaaaaa-1111-4111-8111-111111111111', 'A', '2026-01-01T10:00:00Z'),
      run('bbbbbbbb-2222-4222-8222-222222222222', 'B', '2026-01-02T10:00:00Z'),
      run('cccccccc-3333-4333-8333-333333333333', 'A', '2026-01-03T10:00:00Z', 'failed'),
    ];
    const groups = sqlTables(runs, 'A');
    expect(groups.map((g) => g.label)).toEqual(['Dataset', 'Latest run of this dataset (= run_aaaaaaaa_*)', 'Run of 2026-01-02 10:00', 'Run of 2026-01-01 10:00 (this dataset)']);
    expect(groups[1]!.tables).toContain('result_eve');
    expect(groups[2]!.tables).toEqual(['run_bbbbbbbb_eve', 'run_bbbbbbbb_nii', 'run_bbbbbbbb_gap', 'run_bbbbbbbb_eve_by_bucket', 'run_bbbbbbbb_eve_by_product', 'run_bbbbbbbb_eve_by_currency', 'run_bbbbbbbb_nii_by_currency', 'run_bbbbbbbb_nii_profile']);
    // A dataset without a finished run has no result_* tables.
    expect(sqlTables(runs, 'C').some((g) => g.tables.includes('result_eve'))).toBe(false);
  });
});
